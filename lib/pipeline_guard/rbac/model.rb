# frozen_string_literal: true

module PipelineGuard
  module RBAC
    # Role table plus memberships. Thread-safe: checks run while memberships
    # change. `can?` never allocates and costs one hash lookup per path
    # segment, however many memberships are stored.
    class Model
      class << self
        # roles: nil for the built-in secrets-manager table, or a Hash like
        #   { "levels" => { "reporter" => ["read_secret"], "owner" => [...] },
        #     "member_roles" => [{ "id" => 7, "base_access_level" => 20, "abilities" => [...] }] }
        #   or just the levels Hash ({ reporter: [:read_secret] }).
        # member_roles: more member roles, added to those in `roles`.
        def new(roles: nil, member_roles: [])
          _new(definitions(roles, member_roles))
        end

        # A model from a Hash: "roles", "member_roles", "memberships" (each a
        # Hash of add_membership's arguments plus "user_id" and "path") and
        # "blocked_users".
        def load(hash)
          hash = stringify(hash)
          model = new(roles: hash["roles"], member_roles: hash["member_roles"] || [])
          Array(hash["memberships"]).each do |m|
            m = stringify(m)
            model.add_membership(m.fetch("user_id"), m.fetch("path"),
                                 access_level: m.fetch("access_level"),
                                 member_role_id: m["member_role_id"], expires_at: m["expires_at"])
          end
          Array(hash["blocked_users"]).each { |id| model.block_user(id) }
          model
        rescue KeyError => e
          raise DefinitionError, "membership is missing #{e.key.inspect}"
        end

        # The same document as YAML (safe_load: no Ruby objects; dates allowed).
        def from_yaml(text)
          require "yaml"
          data = YAML.safe_load(text, permitted_classes: [Date, Time], aliases: false)
          raise DefinitionError, "RBAC YAML must be a mapping" unless data.is_a?(Hash)

          load(data)
        rescue Psych::SyntaxError => e
          raise DefinitionError, "invalid RBAC YAML: #{e.message}"
        end

        # The built-in role table, as a Hash.
        def default_roles
          _default_definitions
        end

        private

        def stringify(hash)
          raise DefinitionError, "expected a Hash, got #{hash.class}" unless hash.is_a?(Hash)

          hash.transform_keys(&:to_s)
        end

        def definitions(roles, member_roles)
          member_roles = Array(member_roles)
          return nil if roles.nil? && member_roles.empty?

          defs = roles.nil? ? default_roles : normalize_roles(roles)
          defs["member_roles"] = Array(defs["member_roles"]) + member_roles.map { |r| normalize_member_role(r) }
          defs
        end

        def normalize_roles(roles)
          raise DefinitionError, "roles must be a Hash" unless roles.is_a?(Hash)

          roles = wrap_levels(roles.transform_keys(&:to_s))
          levels = (roles["levels"] || {}).to_h do |level, abilities|
            [level.to_s, Array(abilities).map(&:to_s)]
          end
          { "levels" => levels,
            "member_roles" => Array(roles["member_roles"]).map { |r| normalize_member_role(r) } }
        end

        # A bare levels Hash becomes { "levels" => ... }; a full definition
        # may carry only "levels" and "member_roles".
        def wrap_levels(roles)
          return { "levels" => roles } unless roles.key?("levels") || roles.key?("member_roles")

          unknown = roles.keys - %w[levels member_roles]
          raise DefinitionError, "unknown role definition keys: #{unknown.join(', ')}" unless unknown.empty?

          roles
        end

        def normalize_member_role(role)
          raise DefinitionError, "a member role must be a Hash" unless role.is_a?(Hash)

          role = role.transform_keys(&:to_s)
          base = role["base_access_level"]
          unless base.is_a?(Integer)
            base = ACCESS_LEVELS.fetch(base.to_sym) do
              raise DefinitionError, "unknown access level #{base.inspect}"
            end
          end
          { "id" => role["id"], "base_access_level" => base,
            "abilities" => Array(role["abilities"]).map(&:to_s) }
        end
      end

      # Adds (or replaces) the membership of user_id on exactly `path`.
      # access_level: 10..50 or :guest, :planner, :reporter, :developer,
      # :maintainer, :owner. expires_at: Time, Date or unix seconds; the
      # membership counts while now < expires_at.
      def add_membership(user_id, path, access_level:, member_role_id: nil, expires_at: nil)
        _add_membership(user_id, path, access_level.to_s, member_role_id, RBAC.unix(expires_at))
        self
      end

      # Every ability of the user on `path`, as Symbols, sorted.
      def abilities(user_id, path, now: nil)
        _abilities(user_id, path, now)
      end

      # Highest access level (Integer) on `path` counting inherited
      # memberships, or nil.
      def max_access_level(user_id, path, now: nil)
        _max_access_level(user_id, path, now)
      end

      # The subset of `paths` the user may `ability` on, in order. One native
      # call; large pages are checked on all cores without the GVL.
      def filter(user_id, ability, paths, now: nil)
        _filter(user_id, ability, paths, now)
      end

      # One boolean per path, in order.
      def allowed_many(user_id, ability, paths, now: nil)
        _allowed_many(user_id, ability, paths, now)
      end
      alias filter_map allowed_many
    end
  end
end
