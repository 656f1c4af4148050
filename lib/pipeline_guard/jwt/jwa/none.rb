# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # `none`: encodes an unsecured token when asked, as the gem does. A
      # verifying `decode` still refuses every `none` token (docs/jwt.md).
      class None
        include SigningAlgorithm

        def initialize
          @alg = "none"
        end

        def sign(*) = ""

        def verify(*)
          raise IncorrectAlgorithm, %(Algorithm "none" is not allowed)
        end

        register_algorithm(new)
      end
    end
  end
end
