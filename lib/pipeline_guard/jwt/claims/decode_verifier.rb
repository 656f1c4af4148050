# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `Claims.verify!(payload, options)`: decode options, where only the
      # checks whose `verify_*` option (Symbol or String key) or
      # `required_claims` is given run, as in the gem.
      module DecodeVerifier
        SWITCHES = %i[verify_expiration verify_not_before verify_iss verify_iat verify_aud verify_sub].freeze
        VALUES = %i[leeway exp_leeway nbf_leeway iss aud sub].freeze

        class << self
          def verify!(payload, options)
            checks = SWITCHES.to_h { |name| [name, given?(options, name)] }
            VALUES.each { |name| checks[name] = options[name] unless options[name].nil? }
            checks[:verify_jti] = jti_check(options)
            required = options[:required_claims] || options["required_claims"]
            checks[:required_claims] = required if required
            ClaimChecks.check!(payload, checks)
          end

          private

          def given?(options, name) = options[name] || options[name.to_s] ? true : false

          # A callable under `:verify_jti` validates; otherwise presence.
          def jti_check(options)
            return false unless given?(options, :verify_jti)

            options[:verify_jti].respond_to?(:call) ? options[:verify_jti] : true
          end
        end
      end
    end
  end
end
