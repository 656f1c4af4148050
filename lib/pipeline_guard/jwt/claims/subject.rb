# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `sub` must equal the expected subject (both compared with `to_s`).
      class Subject
        def initialize(expected_subject:)
          @expected_subject = expected_subject
        end

        def verify!(context:, **)
          Claims.check!(context.payload, verify_sub: true, sub: @expected_subject)
        end
      end
    end
  end
end
