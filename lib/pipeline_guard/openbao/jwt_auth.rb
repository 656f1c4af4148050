# frozen_string_literal: true

require "json"
require "openssl"
require "set"
require_relative "auth_error"
require_relative "jwt_auth/login"
require_relative "jwt_auth/role"
require_relative "jwt_auth/cel_role"

module PipelineGuard
  module OpenBao
    # OpenBao's JWT auth method (`auth/<mount>/`), evaluated locally with
    # OpenBao 2.7.2's semantics: the same role validation, the same checks
    # in the same order, the same error text.
    #
    #   auth = PipelineGuard::OpenBao::JwtAuth.new(bound_issuer: "https://gitlab.example.com",
    #                                              jwt_validation_pubkeys: [pem])
    #   auth.write_role("all_pipelines", role_type: "jwt", user_claim: "user_login",
    #                   bound_audiences: ["openbao"], bound_claims: { "project_id" => "42" })
    #   auth.login(role: "all_pipelines", jwt: token)  # => JwtAuth::Login
    #
    # Thread-safe: roles are kept behind a read-write lock and logins only
    # read. Holds public keys only, but is not marshallable.
    class JwtAuth
      ROLE_FIELDS = %i[
        role_type policies num_uses ttl max_ttl period bound_cidrs
        expiration_leeway not_before_leeway clock_skew_leeway
        bound_subject bound_audiences bound_claims_type bound_claims claim_mappings
        oauth2_metadata user_claim user_claim_json_pointer groups_claim
        oidc_scopes allowed_redirect_uris callback_mode poll_interval verbose_oidc_logging
        max_age token_policies_template_claims oidc_disable_confirmation
        token_bound_cidrs token_explicit_max_ttl token_max_ttl token_no_default_policy
        token_period token_policies token_type token_ttl token_num_uses token_strictly_bind_ip
      ].freeze
      # Fields that decide who may log in: their values must be JSON values
      # (a Set counts as a list), never objects JSON would turn into their
      # `to_s`, and bound_audiences must not hold nil (an unset setting
      # would become the empty audience).
      BINDING_FIELDS = %i[
        bound_audiences bound_subject bound_claims bound_claims_type bound_cidrs
        user_claim user_claim_json_pointer groups_claim claim_mappings
      ].freeze

      class << self
        # `jwks:` is a JWKS ({"keys" => [...]}, Hash or JSON) standing in for
        # what `jwks_url` would serve; `jwt_validation_pubkeys:` is a list
        # of PEM strings or OpenSSL::PKey objects. Give exactly one.
        # `mount_path:` only shapes display names ("jwt" -> "jwt-<alias>").
        # Bad keys raise PipelineGuard::InvalidKeyError, other refused
        # settings PipelineGuard::InvalidInput (with OpenBao's text).
        def new(bound_issuer: "", jwks: nil, jwt_validation_pubkeys: nil, jwt_supported_algs: nil,
                default_role: nil, mount_path: "jwt")
          body = { "bound_issuer" => issuer_text(bound_issuer), "mount_path" => mount_path.to_s,
                   "jwks" => jwks_of(jwks), "default_role" => default_role&.to_s,
                   "jwt_validation_pubkeys" => pems_of(jwt_validation_pubkeys),
                   "jwt_supported_algs" => jwt_supported_algs && Array(jwt_supported_algs).map(&:to_s) }
          _new(body.compact)
        end

        private

        def issuer_text(value)
          return "" if value.nil?
          return value.to_s if value.is_a?(String) || value.is_a?(Symbol)

          raise TypeError, "bound_issuer must be a String, not #{value.class}"
        end

        # `fields` with BINDING_FIELDS checked (see there).
        def role_body(fields)
          auds = fields[:bound_audiences]
          if (auds.is_a?(Array) || auds.is_a?(Set)) && auds.any?(&:nil?)
            raise ArgumentError, "bound_audiences must not hold nil"
          end

          fields.to_h { |key, value| [key, BINDING_FIELDS.include?(key) ? json_value(value, key) : value] }
        end

        def json_value(value, field)
          case value
          when nil, true, false, Integer, Float, String then value
          when Symbol then value.to_s
          when Array, Set then value.map { |item| json_value(item, field) }
          when Hash then value.transform_values { |item| json_value(item, field) }
          else raise TypeError, "#{field} takes JSON values, not #{value.class}"
          end
        end

        def jwks_of(jwks)
          jwks.is_a?(String) ? JSON.parse(jwks) : jwks
        rescue JSON::ParserError => e
          raise PipelineGuard::InvalidKeyError, "jwks is not valid JSON: #{e.message[0, 80]}"
        end

        def pems_of(keys)
          keys && Array(keys).map { |key| pem_of(key) }
        end

        def pem_of(key)
          return key.public_to_pem if key.respond_to?(:public_to_pem)
          return key if key.is_a?(String)

          raise TypeError, "jwt_validation_pubkeys takes PEM strings or OpenSSL::PKey objects, not #{key.class}"
        end
      end

      # Validates and stores a role as `POST auth/<mount>/role/<name>` does;
      # takes every field that endpoint takes (see ROLE_FIELDS), with
      # OpenBao's value forms ("30s" or 30 for durations, comma strings or
      # Arrays for lists). Unknown keywords are ignored, like OpenBao.
      # Replaces a role of the same name entirely. Returns the Role (its
      # #warnings are what OpenBao would warn). Raises RoleError with
      # OpenBao's text for a role OpenBao would refuse.
      def write_role(name, **fields)
        _write_role(name.to_s, self.class.__send__(:role_body, fields))
      end

      # The stored role (names are case-insensitive, as in OpenBao), or nil.
      def role(name)
        _role(name.to_s)
      end

      # The role a login naming `name` would use (an empty name means
      # `default_role`), or AuthError with OpenBao's login text
      # (`missing role`, `role "x" could not be found`).
      def role!(name)
        _resolve_role(name.to_s)
      end

      # Removes a role; true when it existed.
      def delete_role(name)
        _delete_role(name.to_s)
      end

      # `POST auth/<mount>/login {"role": role, "jwt": jwt}` at `now` (a
      # Time or Unix seconds; nil: PipelineGuard.clock's now): signature and
      # algorithm, registered claims, identity, bound claims. Returns a
      # Login; raises AuthError (message = OpenBao's text). An empty role
      # uses `default_role`.
      def login(jwt:, role: "", now: nil)
        _login(role.to_s, jwt, *self.class.__send__(:time_parts, now))
      end

      # Many logins against one role, in order, without the GVL and on all
      # cores. Returns an Array with, per token, a Login or an AuthError
      # instance (not raised), so one bad token does not hide the others.
      def login_many(jwts:, role: "", now: nil)
        _login_many(role.to_s, jwts.to_a, *self.class.__send__(:time_parts, now))
      end

      # Validates, compiles and stores a CEL role as `POST
      # auth/<mount>/cel/role/<name>` does. `cel_program` is the Hash
      # OpenBao's API takes: {"variables" => [{"name" =>, "expression" =>}],
      # "expression" => "..."} (String or Symbol keys). Leeways are seconds
      # (Integer) or Go durations ("2m"); nil keeps OpenBao's defaults
      # (150/150/60). `message` is stored and never used, as in OpenBao.
      # Returns the CelRole; raises RoleError with OpenBao's text for a
      # program OpenBao would refuse (syntax, type check of the main
      # expression, malformed program). The name is stored as written.
      def write_cel_role(name, cel_program:, bound_audiences: nil, clock_skew_leeway: nil,
                         expiration_leeway: nil, not_before_leeway: nil, message: nil)
        auds = bound_audiences.is_a?(Set) ? bound_audiences.to_a : bound_audiences
        raise ArgumentError, "bound_audiences must not hold nil" if auds.is_a?(Array) && auds.any?(&:nil?)

        body = { "cel_program" => self.class.__send__(:json_value, cel_program, :cel_program),
                 "bound_audiences" => auds && self.class.__send__(:json_value, auds, :bound_audiences),
                 "clock_skew_leeway" => clock_skew_leeway, "expiration_leeway" => expiration_leeway,
                 "not_before_leeway" => not_before_leeway, "message" => message&.to_s }
        _write_cel_role(name.to_s, body.compact)
      end

      # The CEL role stored under exactly `name`, or nil.
      def cel_role(name)
        _cel_role(name.to_s)
      end

      # Removes a CEL role; true when it existed.
      def delete_cel_role(name)
        _delete_cel_role(name.to_s)
      end

      # `POST auth/<mount>/cel/login {"role": role, "jwt": jwt}` at `now`:
      # signature and algorithm, registered claims (the role's audiences
      # only when it has bound_audiences), then the program. Returns a
      # Login (alias_name nil when the program returned no alias); raises
      # AuthError with OpenBao's text. The role name is lowercased, as
      # OpenBao's login does; an empty one uses `default_role`.
      def cel_login(jwt:, role: "", now: nil)
        _cel_login(role.to_s, jwt, *self.class.__send__(:time_parts, now))
      end

      # Many CEL logins against one role, in order, without the GVL and on
      # all cores; per token a Login or an AuthError instance (not raised).
      def cel_login_many(jwts:, role: "", now: nil)
        _cel_login_many(role.to_s, jwts.to_a, *self.class.__send__(:time_parts, now))
      end

      # [seconds, nanoseconds] of `now`, or [nil, 0] for the clock's now.
      def self.time_parts(now)
        t = case now
            when nil then return [nil, 0]
            when Time then now
            when Numeric then Time.at(now)
            else raise TypeError, "now: must be a Time or Numeric, not #{now.class}"
            end
        [t.to_i, t.nsec]
      end
      private_class_method :time_parts

      def _dump(_level)
        raise TypeError, "PipelineGuard::OpenBao::JwtAuth cannot be marshalled"
      end

      def marshal_dump
        raise TypeError, "PipelineGuard::OpenBao::JwtAuth cannot be marshalled"
      end

      def initialize_copy(_other)
        raise TypeError, "PipelineGuard::OpenBao::JwtAuth cannot be copied"
      end
    end
  end
end
