# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `aud` (a String or a list) must share a value with the expectation.
      class Audience
        def initialize(expected_audience:)
          @expected_audience = expected_audience
        end

        def verify!(context:, **)
          Claims.check!(context.payload, verify_aud: true, aud: @expected_audience)
        end
      end
    end
  end
end
