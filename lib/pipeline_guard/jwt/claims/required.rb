# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # Every named claim must be present (any value).
      class Required
        def initialize(required_claims:)
          @required_claims = required_claims
        end

        def verify!(context:, **)
          Claims.check!(context.payload, required_claims: @required_claims)
        end
      end
    end
  end
end
