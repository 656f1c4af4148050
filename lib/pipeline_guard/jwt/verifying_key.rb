# frozen_string_literal: true

require_relative "key_loaders"

module PipelineGuard
  module JWT
    # A parsed verification key (public key or HMAC secret).
    class VerifyingKey
      include NoCopy
      extend KeyLoaders

      class << self
        # From anything `JWT.decode` accepts as a key (cached).
        def from(key)
          key = Keys.verifying(key)
          raise JWKError, "Expected one key, got a key set" if key.is_a?(Array)

          key
        end
      end
    end
  end
end
