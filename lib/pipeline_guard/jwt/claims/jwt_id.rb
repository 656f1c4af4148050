# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `jti` must be present and not blank, or satisfy the validator
      # (`(jti)` or `(jti, payload)`).
      class JwtId
        def initialize(validator:)
          @validator = validator
        end

        def verify!(context:, **)
          Claims.check!(context.payload, verify_jti: @validator.respond_to?(:call) ? @validator : true)
        end
      end
    end
  end
end
