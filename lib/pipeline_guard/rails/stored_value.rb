# frozen_string_literal: true

module PipelineGuard
  module Rails
    # Decrypting and re-encrypting a stored ciphertext of an encrypted
    # attribute under the record's associated data, falling back to the
    # legacy encoding (see AttributeSpec) for values written before it.
    #
    # The fallback is tried only after the current encoding failed, and
    # re-raises the first error if it fails too. A ciphertext sealed under
    # the current encoding never verifies under a legacy string (AAD_V2
    # starts with NUL, a legacy string with the table name), so the
    # fallback cannot make a current ciphertext decrypt in another record:
    # it only keeps values written by earlier versions readable, with the
    # weaker binding they were written with, until they are rewritten.
    module StoredValue
      module_function

      # `reader` reads a bound attribute (current or as stored).
      def decrypt(spec, record, ct, reader = :public_send)
        keyring = spec.keyring_for(record)
        context = spec.context_for(record)
        aad = spec.aad_for(record, reader)
        begin
          keyring.decrypt(ct, context:, associated_data: aad)
        rescue DecryptionError => e
          # The legacy binding is built only when the current one fails.
          legacy = spec.legacy_aad_for(record, reader)
          raise if legacy.nil?

          begin
            keyring.decrypt(ct, context:, associated_data: legacy)
          rescue DecryptionError
            raise e
          end
        end
      end

      # Re-encrypted for the record's current associated data, from the
      # binding the stored attribute values give.
      def rebind(spec, record, ct)
        keyring = spec.keyring_for(record)
        old_aad = spec.aad_for(record, :attribute_in_database)
        legacy = spec.legacy_aad_for(record, :attribute_in_database)
        with_fallback(old_aad, legacy) do |aad|
          keyring.rewrap(ct, context: spec.context_for(record), associated_data: aad,
                             new_associated_data: spec.aad_for(record))
        end
      end

      # Re-encrypted with the latest key under the current associated data,
      # or nil when it already is.
      def rewrap(spec, record, ct)
        keyring = spec.keyring_for(record)
        current = ct.start_with?("vault:v#{keyring.latest_version}:")
        legacy = spec.legacy_aad_for(record)
        return nil if current && legacy.nil?

        aad = spec.aad_for(record)
        context = spec.context_for(record)
        begin
          rewrapped = keyring.rewrap(ct, context:, associated_data: aad)
          return current ? nil : rewrapped
        rescue DecryptionError
          raise if legacy.nil?
        end
        with_fallback(aad, legacy) do |bound_to|
          keyring.rewrap(ct, context:, associated_data: bound_to, new_associated_data: aad)
        end
      end

      def with_fallback(aad, legacy)
        yield aad
      rescue DecryptionError => e
        raise if legacy.nil?

        begin
          yield legacy
        rescue DecryptionError
          raise e
        end
      end
    end
  end
end
