# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `exp`, `nbf` and `iat`, when present, must be numbers: the check
      # `encode` makes (InvalidPayload).
      class Numeric
        # The gem's older form: `Numeric.new(payload).verify!`.
        class Compat
          def initialize(payload)
            @payload = payload
          end

          def verify!
            Claims.verify_payload!(@payload, :numeric)
          end
        end

        def self.new(*args)
          return super if args.empty?

          Compat.new(*args)
        end

        def self.verify!(payload:, **)
          Claims.verify_payload!(payload, :numeric)
        end

        def verify!(context:, **)
          JWT._check_numeric_claims(context.payload)
        end
      end
    end
  end
end
