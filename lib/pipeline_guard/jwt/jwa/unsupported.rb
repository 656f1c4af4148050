# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # What `JWA.find` returns for a name it does not know.
      module Unsupported
        class << self
          include SigningAlgorithm

          def sign(*)
            raise_sign_error!("Unsupported signing method")
          end

          def verify(*)
            raise VerificationError, "Algorithm not supported"
          end
        end
      end
    end
  end
end
