# frozen_string_literal: true

module PipelineGuard
  module JWT
    # The jwt gem's `ClaimsValidator`: `exp`, `nbf` and `iat` must be
    # numbers, the check `encode` makes.
    class ClaimsValidator
      def initialize(payload)
        @payload = payload
      end

      def validate!
        Claims.verify_payload!(@payload, :numeric)
        true
      end
    end
  end
end
