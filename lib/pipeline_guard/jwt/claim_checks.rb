# frozen_string_literal: true

module PipelineGuard
  module JWT
    # The decode checks that need Ruby: a `verify_jti` Proc, and issuers and
    # audiences the native side does not compare (Regexp, Proc, Set,
    # numbers...), compared here exactly as the jwt gem compares them. The
    # native side compares Strings and Symbols and refuses an enabled check
    # without an expectation; no check is ever skipped. Expected lists
    # holding nil or false raise ArgumentError: they come from unset
    # settings.
    module ClaimChecks
      # Bits for JWT._decode: the checks run here instead.
      ISS = 1
      AUD = 2
      # Bit for JWT._decode: return nil, reading nothing else, when the
      # allowlist holds an algorithm object (`decode` then resolves it).
      ALGORITHM_OBJECTS = 4

      class << self
        # The claim checks of a verifying `decode`, with its options and
        # defaults, on a payload already verified: the native checks, then
        # the ones run here. `now`: a Time or Unix seconds, nil for the clock.
        def check!(payload, options, now = nil)
          bits = plan(options)
          JWT._verify_claims(payload, options, now, bits)
          run(payload, options, bits) if bits != 0 || options[:verify_jti]
          nil
        end

        # The bits of the checks to run here (options are validated now,
        # before any token work).
        def plan(options)
          bits = 0
          if options[:verify_iss] && !native?(options[:iss])
            expected(Array(options[:iss]), :iss)
            bits |= ISS
          end
          if options[:verify_aud] && !native?(options[:aud])
            expected([*options[:aud]], :aud)
            bits |= AUD
          end
          bits
        end

        # Runs the planned checks on a verified payload.
        def run(payload, options, bits)
          jti_check = options[:verify_jti]
          if jti_check.respond_to?(:call)
            jti = claim(payload, "jti")
            ok = jti_check.arity == 2 ? jti_check.call(jti, payload) : jti_check.call(jti)
            raise InvalidJtiError, "Invalid jti" unless ok
          end
          issuer(claim(payload, "iss"), options[:iss]) if bits.anybits?(ISS)
          audience(claim(payload, "aud"), options[:aud]) if bits.anybits?(AUD)
        end

        private

        # A payload that is not a Hash (the gem signs Strings and Arrays
        # too) has no claims.
        def claim(payload, name) = payload.is_a?(Hash) ? payload[name] : nil

        # What the native side reads (or refuses, for nil and false).
        def native?(value)
          case value
          when nil, false, String, Symbol then true
          when Array then value.all? { |item| item.is_a?(String) || item.is_a?(Symbol) }
          else false
          end
        end

        def expected(list, name)
          raise ArgumentError, "#{name}: must not hold nil or false" if list.any? { |item| item.nil? || item == false }

          list.map { |item| item.is_a?(Symbol) ? item.to_s : item }
        end

        # The gem's verify_iss: `case iss when *expected`.
        def issuer(iss, expected_iss)
          list = expected(Array(expected_iss), :iss)
          return if list.any? { |item| item === iss } # rubocop:disable Style/CaseEquality

          raise InvalidIssuerError, "Invalid issuer. Expected #{list}, received #{iss || '<none>'}"
        end

        # The gem's verify_aud: any overlap of `[*aud]` and `[*expected]`.
        def audience(aud, expected_aud)
          return unless ([*aud] & expected([*expected_aud], :aud)).empty?

          raise InvalidAudError, "Invalid audience. Expected #{expected_aud}, received #{aud || '<none>'}"
        end
      end
    end
  end
end
