# frozen_string_literal: true

module PipelineGuard
  # AES-256-GCM keyring, byte-compatible with OpenBao transit `aes256-gcm96`
  # keys: ciphertexts are `vault:v<N>:<base64(nonce || ciphertext || tag)>`
  # and decrypt in OpenBao with the same key, and the other way round.
  #
  # * `context:` is required for derived keyrings (per-request keys via
  #   HKDF-SHA256) and ignored otherwise, as in OpenBao.
  # * `associated_data:` is authenticated but not encrypted (AEAD AAD).
  #   Convergent keyrings refuse it on encrypt and rewrap (InvalidInput):
  #   their nonce depends only on the plaintext, so one plaintext under two
  #   associated data values would reuse a GCM nonce and expose the
  #   authentication key. OpenBao accepts it anyway; to interoperate with
  #   data written that way, build the keyring with
  #   `openbao_compatible_convergent_aad: true`. Decrypting with associated
  #   data always works.
  # * Key versions run from 1 to 2**32 - 1; `rotate!` (native) raises
  #   InvalidInput at the last one rather than wrapping around.
  # * `decrypt` returns a binary (ASCII-8BIT) String; `decrypt_str` returns
  #   it as UTF-8.
  # * Thread-safe. Key bytes never appear in #inspect, #to_s or errors, and
  #   a keyring cannot be marshalled or copied.
  class Keyring
    include NoCopy

    class << self
      # A new keyring with one random version-1 key.
      def generate(derived: false, convergent: false, openbao_compatible_convergent_aad: false)
        _generate(derived, convergent, openbao_compatible_convergent_aad)
      end

      # From `GET transit/export/encryption-key/<name>`: the whole response,
      # its "data", or `{"keys" => {"1" => base64}}`, as a Hash or JSON.
      # The export does not say whether the key is derived or convergent,
      # so say it here. The lowest exported version becomes
      # `min_decryption_version`. Versions are decimal, 1 to 2**32 - 1.
      def from_transit_export(export, derived: false, convergent: false, openbao_compatible_convergent_aad: false)
        _from_transit_export(export, derived, convergent, openbao_compatible_convergent_aad)
      end
    end

    def encrypt(plaintext, context: nil, associated_data: nil)
      _encrypt(plaintext, context, associated_data)
    end

    def decrypt(ciphertext, context: nil, associated_data: nil)
      _decrypt(ciphertext, context, associated_data)
    end

    def decrypt_str(ciphertext, context: nil, associated_data: nil)
      decrypt(ciphertext, context:, associated_data:).force_encoding(Encoding::UTF_8)
    end

    # Decrypts and re-encrypts with the latest version. `new_associated_data:`
    # re-binds the value (default: the same associated data); the plaintext
    # never reaches Ruby.
    def rewrap(ciphertext, context: nil, associated_data: nil, new_associated_data: associated_data)
      _rewrap(ciphertext, context, associated_data, new_associated_data)
    end

    # Many plaintexts at once, in order; the work runs without the GVL and
    # on all cores for large batches. Raises EncryptionError naming the
    # first failing index.
    def encrypt_many(plaintexts, context: nil)
      _encrypt_many(plaintexts, context)
    end

    # Raises DecryptionError naming the first failing index ("item 3: ...").
    def decrypt_many(ciphertexts, context: nil)
      _decrypt_many(ciphertexts, context)
    end

    # Wraps one key version for OpenBao's transit import
    # (`POST transit/keys/<name>/import` with `"ciphertext"`), given the PEM
    # from `GET transit/wrapping_key`. Moves a key from here to OpenBao.
    def to_transit_import(wrapping_key_pem, version: nil)
      _to_transit_import(wrapping_key_pem, version)
    end

    # The key bytes in OpenBao's export shape. Handle with care: this is the
    # only way key material leaves the keyring.
    def export_transit(name: "pipeline_guard")
      _export_transit(name)
    end
  end
end
