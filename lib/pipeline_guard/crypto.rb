# frozen_string_literal: true

require_relative "crypto/verify_signature"

module PipelineGuard
  # Low-level primitives for interop and test vectors. Application data
  # belongs in a Keyring, which chooses nonces and versions itself.
  module Crypto
    # HKDF-SHA256 (RFC 5869). `salt: nil` means no salt (a zero block).
    def self.hkdf_sha256(ikm, info: "", salt: nil, length: 32)
      _hkdf_sha256(ikm, salt, info, length)
    end

    # AES-GCM (128/192/256-bit key) with a caller-chosen 12-byte nonce.
    # `seal` returns ciphertext || 16-byte tag; `open` raises
    # PipelineGuard::DecryptionError when the tag does not verify.
    class AesGcm
      def seal(nonce, plaintext, aad = nil)
        _seal(nonce, plaintext, aad)
      end

      def open(nonce, ciphertext_and_tag, aad = nil)
        _open(nonce, ciphertext_and_tag, aad)
      end
    end
  end
end
