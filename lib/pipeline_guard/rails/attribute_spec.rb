# frozen_string_literal: true

module PipelineGuard
  module Rails
    # Starts the length-prefixed associated data. A legacy string starts
    # with the table name, which is never empty and never starts with NUL,
    # so the two encodings can never produce the same bytes.
    AAD_V2 = "\0pipeline_guard.aad.v2\0".b.freeze

    # One encrypted attribute's settings (see EncryptedAttribute).
    AttributeSpec = Struct.new(:name, :column, :keyring, :associated_data, :context, :legacy_associated_data,
                               keyword_init: true) do
      def keyring_for(_record)
        kr = keyring.respond_to?(:call) ? keyring.call : keyring
        kr ||= PipelineGuard::Rails.keyring
        check_keyring!(kr)
        kr
      end

      # Convergent nonces ignore associated data (see Keyring), so a
      # convergent keyring may only be used here without it, unless the
      # keyring opted in to OpenBao's behaviour.
      def check_keyring!(keyring)
        return if !binds_data? || !keyring.convergent? || keyring.openbao_compatible_convergent_aad?

        raise InvalidInput,
              "pipeline_guard_encrypts :#{name}: a convergent keyring cannot bind the ciphertext to the " \
              "record: the same plaintext bound to two records would reuse a GCM nonce and expose the " \
              "authentication key. Use `associated_data: false`, a non-convergent keyring, or a keyring " \
              "built with `openbao_compatible_convergent_aad: true` to match OpenBao"
      end

      def context_for(record)
        case context
        when nil then nil
        when Symbol then record.public_send(context).to_s
        when Proc then context.call(record)
        else context.to_s
        end
      end

      # The associated data new ciphertexts are bound to. For attribute
      # lists: AAD_V2, then the table, the attribute and each bound
      # attribute's name and value, each as a tag byte (0 = nil, 1 =
      # string) and, for strings, a 32-bit big-endian length and the bytes.
      # `reader` reads an attribute (current or as stored in the database).
      def aad_for(record, reader = :public_send)
        case associated_data
        when false, nil then nil
        when Proc then associated_data.call(record)
        else
          out = aad_head(record.class.table_name).dup
          associated_data.each do |a|
            out << encoded_name(a)
            aad_field(out, record.__send__(reader, a.to_s))
          end
          out
        end
      end

      # The NUL-joined encoding of earlier versions (ambiguous: nil and ""
      # read the same, and values may contain NUL), accepted on read only
      # for attribute lists and only while `legacy_associated_data` is on.
      def legacy_aad_for(record, reader = :public_send)
        return nil unless legacy_associated_data && binds_data?

        parts = associated_data.map { |a| "#{a}=#{record.__send__(reader, a.to_s)}" }
        ([record.class.table_name, name.to_s] + parts).join("\u0000")
      end

      # AAD_V2, the table and the attribute, encoded once per table name.
      def aad_head(table)
        head = @aad_head
        return head[1] if head && head[0] == table

        bytes = aad_field(aad_field(AAD_V2.dup, table), name.to_s).freeze
        @aad_head = [table.dup.freeze, bytes]
        bytes
      end

      # A bound attribute's name as a field, encoded once per name.
      def encoded_name(attr)
        (@encoded_names ||= {})[attr] ||= aad_field(+"".b, attr.to_s).freeze
      end

      # Appends one field: 0 for nil, else 1, the 32-bit big-endian byte
      # length and the bytes.
      def aad_field(out, value)
        return out << "\0" if value.nil?

        str = value.to_s
        out << "\1" << [str.bytesize].pack("N")
        # Non-ASCII text is appended as bytes (`out` is binary).
        out << (str.ascii_only? ? str : str.b)
      end

      def attribute_aad?
        associated_data.is_a?(Array) && !associated_data.empty?
      end

      # Attribute lists (even empty ones: the table and attribute are
      # always bound). A Proc's result is checked by the keyring itself.
      def binds_data?
        associated_data.is_a?(Array)
      end
    end
  end
end
