# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `iat`, when present, must be a number not in the future.
      class IssuedAt
        def verify!(context:, **)
          Claims.check!(context.payload, verify_iat: true)
        end
      end
    end
  end
end
