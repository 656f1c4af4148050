# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `nbf` must not be after now (plus `leeway` seconds).
      class NotBefore
        def initialize(leeway:)
          @leeway = leeway || 0
        end

        def verify!(context:, **)
          Claims.check!(context.payload, verify_not_before: true, nbf_leeway: @leeway)
        end
      end
    end
  end
end
