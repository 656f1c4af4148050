# frozen_string_literal: true

require "active_support/concern"
require_relative "attribute_spec"
require_relative "stored_value"

module PipelineGuard
  module Rails
    # `pipeline_guard_encrypts :value` stores `value` encrypted in the
    # `value_ciphertext` column as an OpenBao transit ciphertext
    # (`vault:v<N>:...`), so OpenBao can decrypt it with the same key.
    #
    #   class Secret < ActiveRecord::Base
    #     pipeline_guard_encrypts :value, associated_data: %i[project_id name]
    #   end
    #
    # Options:
    # * `keyring:` a Keyring, or a Proc returning one (default: the app keyring,
    #   PipelineGuard::Rails.keyring).
    # * `associated_data:` binds the ciphertext to the record: an Array of
    #   attribute names (default `[]`), a Proc taking the record and returning
    #   a String, or `false` for none. The table and attribute name are always
    #   part of it (except with `false`), so a ciphertext copied to another
    #   column, table or record (with other bound values) does not decrypt.
    #   A convergent keyring requires `false` (InvalidInput otherwise) unless
    #   it was built with `openbao_compatible_convergent_aad: true`.
    # * `context:` for derived keyrings: a String, Symbol (attribute) or Proc.
    # * `legacy_associated_data:` (default true) also reads values bound with
    #   the NUL-joined encoding of earlier versions; turn it off once
    #   `pipeline_guard_rewrap!` has moved every row to the current one.
    #
    # Encryption happens in `before_save`, once every bound attribute is set.
    # When a bound attribute changes, the value is re-encrypted for it.
    # The plaintext is a virtual attribute, so dirty tracking (`changes`,
    # `<attr>_changed?`, `<attr>_was`, `restore_attributes`) covers it and
    # `reload` drops an unsaved value; `inspect` filters it and
    # `attributes`/`serializable_hash`/`to_json` leave it out.
    # Rotation: `keyring.rotate!`, then `Model.pipeline_guard_rewrap!`.
    module EncryptedAttribute
      extend ActiveSupport::Concern

      module ClassMethods
        def pipeline_guard_encrypts(*names, keyring: nil, associated_data: [], context: nil,
                                    legacy_associated_data: true)
          names.each do |name|
            spec = AttributeSpec.new(name: name.to_sym, column: "#{name}_ciphertext", keyring:,
                                     associated_data:, context:, legacy_associated_data:)
            spec.check_keyring!(keyring) if keyring.is_a?(PipelineGuard::Keyring)
            self.pipeline_guard_encrypted = pipeline_guard_encrypted.merge(spec.name => spec)
            # Virtual, never a column: the plaintext only takes part in dirty tracking.
            attribute spec.name, ActiveModel::Type::Value.new
            self.filter_attributes += [/\A#{Regexp.escape(spec.name.to_s)}\z/]
            define_pipeline_guard_methods(spec)
          end
        end

        # Re-encrypts every stored value whose key version is older than the
        # keyring's latest, or that is bound with the legacy associated data
        # encoding, in batches, without loading plaintext into Ruby.
        # Returns the number of rows changed.
        def pipeline_guard_rewrap!(batch_size: 1000)
          changed = 0
          find_each(batch_size:) do |record|
            updates = record.pipeline_guard_rewrapped_columns
            next if updates.empty?

            record.update_columns(updates)
            changed += 1
          end
          changed
        end

        private

        def define_pipeline_guard_methods(spec)
          name = spec.name
          define_method(name) { pipeline_guard_read(spec) }
          define_method(:"#{name}=") do |plaintext|
            pipeline_guard_load_original(spec)
            super(plaintext.nil? ? nil : plaintext.to_s.dup.freeze)
          end
          define_method(:"#{name}_was") do
            pipeline_guard_load_original(spec)
            super()
          end
          define_method(:"#{name}_key_version") do
            ct = self[spec.column]
            ct && ct[/\Avault:v(\d+):/, 1]&.to_i
          end
        end
      end

      included do
        class_attribute :pipeline_guard_encrypted, instance_writer: false, default: {}
        before_save :pipeline_guard_encrypt_pending
      end

      def reload(*)
        @pipeline_guard_plain = nil
        super
      end

      # Leaves the plaintext attributes out, as they are left out of the
      # table.
      def attributes
        return super if pipeline_guard_encrypted.empty?

        super.except(*pipeline_guard_encrypted.keys.map(&:to_s))
      end

      def serializable_hash(options = nil)
        return super if pipeline_guard_encrypted.empty?

        options = options ? options.dup : {}
        options[:except] = Array(options[:except]) + pipeline_guard_encrypted.keys.map(&:to_s)
        super(options)
      end

      # Column => rewrapped ciphertext for values older than the latest key
      # or bound with the legacy associated data encoding.
      def pipeline_guard_rewrapped_columns
        pipeline_guard_encrypted.values.each_with_object({}) do |spec, out|
          ct = self[spec.column]
          next if ct.nil?

          rewrapped = StoredValue.rewrap(spec, self, ct)
          out[spec.column] = rewrapped if rewrapped
        end
      end

      private

      # Plaintext: an assigned value not saved yet, else the stored one.
      def pipeline_guard_read(spec)
        key = spec.name.to_s
        return _read_attribute(key) if attribute_changed?(key)

        plain = pipeline_guard_stored_plaintext(spec)
        # The stored value is the attribute's original value for dirty tracking.
        unless @attributes.frozen?
          @attributes.write_cast_value(key, plain)
          clear_attribute_change(key)
        end
        plain
      end

      # Dirty tracking compares an assignment with the original value, which
      # needs the stored plaintext; if it cannot be decrypted, any assignment
      # counts as a change.
      def pipeline_guard_load_original(spec)
        return if attribute_changed?(spec.name.to_s)

        pipeline_guard_read(spec)
      rescue DecryptionError
        attribute_will_change!(spec.name.to_s)
      end

      def pipeline_guard_stored_plaintext(spec)
        ct = self[spec.column]
        return nil if ct.nil?

        @pipeline_guard_plain ||= {}
        cached = @pipeline_guard_plain[spec.name]
        return cached[1] if cached && cached[0] == ct

        plain = Notifications.instrument(:decrypt, model: self.class.name, attribute: spec.name, count: 1) do
          StoredValue.decrypt(spec, self, ct)
        end
        plain = plain.force_encoding(Encoding::UTF_8)
        plain = plain.force_encoding(Encoding::BINARY) unless plain.valid_encoding?
        @pipeline_guard_plain[spec.name] = [ct, plain.freeze]
        plain
      end

      def pipeline_guard_encrypt_pending
        pipeline_guard_encrypted.each_value do |spec|
          if attribute_changed?(spec.name.to_s)
            self[spec.column] = pipeline_guard_encrypt(spec, _read_attribute(spec.name.to_s))
          elsif pipeline_guard_binding_changed?(spec)
            self[spec.column] = StoredValue.rebind(spec, self, self[spec.column])
          end
        end
      end

      def pipeline_guard_binding_changed?(spec)
        persisted? && !self[spec.column].nil? && spec.attribute_aad? &&
          spec.associated_data.any? { |a| will_save_change_to_attribute?(a) }
      end

      def pipeline_guard_encrypt(spec, plaintext)
        return nil if plaintext.nil?

        Notifications.instrument(:encrypt, model: self.class.name, attribute: spec.name, count: 1) do
          spec.keyring_for(self).encrypt(plaintext, context: spec.context_for(self),
                                                    associated_data: spec.aad_for(self))
        end
      end
    end
  end
end
