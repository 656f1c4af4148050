# frozen_string_literal: true

require "base64"

module PipelineGuard
  module JWT
    # The jwt gem's `JWT::Base64`: unpadded base64url (RFC 4648 §5). Decoding
    # is strict (no whitespace, no standard alphabet, no padding errors):
    # anything else is a Base64DecodeError, as the gem raises when its
    # `strict_base64_decoding` is on.
    module Base64
      ALPHABET = /\A[A-Za-z0-9_-]*\z/

      class << self
        def url_encode(str) = ::Base64.urlsafe_encode64(str, padding: false)

        def url_decode(str)
          raise Base64DecodeError, "Invalid base64 encoding" unless ALPHABET.match?(str) && str.size % 4 != 1

          ::Base64.urlsafe_decode64(str)
        rescue ArgumentError
          raise Base64DecodeError, "Invalid base64 encoding"
        end
      end
    end
  end
end
