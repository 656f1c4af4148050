# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `exp` must be after now (minus `leeway` seconds).
      class Expiration
        def initialize(leeway:)
          @leeway = leeway || 0
        end

        def verify!(context:, **)
          Claims.check!(context.payload, verify_expiration: true, exp_leeway: @leeway)
        end
      end
    end
  end
end
