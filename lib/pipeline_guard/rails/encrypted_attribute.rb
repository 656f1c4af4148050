# frozen_string_literal: true

require "active_support/concern"
require_relative "attribute_spec"

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
    # * `context:` for derived keyrings: a String, Symbol (attribute) or Proc.
    #
    # Encryption happens in `before_save`, once every bound attribute is set.
    # When a bound attribute changes, the value is re-encrypted for it.
    # Rotation: `keyring.rotate!`, then `Model.pipeline_guard_rewrap!`.
    module EncryptedAttribute
      extend ActiveSupport::Concern

      module ClassMethods
        def pipeline_guard_encrypts(*names, keyring: nil, associated_data: [], context: nil)
          names.each do |name|
            spec = AttributeSpec.new(name: name.to_sym, column: "#{name}_ciphertext", keyring:,
                                     associated_data:, context:)
            self.pipeline_guard_encrypted = pipeline_guard_encrypted.merge(spec.name => spec)
            define_pipeline_guard_methods(spec)
          end
        end

        # Re-encrypts every stored value whose key version is older than the
        # keyring's latest, in batches, without loading plaintext into Ruby.
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
          define_method(:"#{name}=") { |plaintext| pipeline_guard_write(spec, plaintext) }
          define_method(:"#{name}_changed?") { pipeline_guard_pending.key?(name) }
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

      # Column => rewrapped ciphertext for values older than the latest key.
      def pipeline_guard_rewrapped_columns
        pipeline_guard_encrypted.values.each_with_object({}) do |spec, out|
          ct = self[spec.column]
          next if ct.nil?

          keyring = spec.keyring_for(self)
          next if ct.start_with?("vault:v#{keyring.latest_version}:")

          out[spec.column] = keyring.rewrap(ct, context: spec.context_for(self),
                                                associated_data: spec.aad_for(self))
        end
      end

      def pipeline_guard_pending
        @pipeline_guard_pending ||= {}
      end

      def pipeline_guard_read(spec)
        return pipeline_guard_pending[spec.name] if pipeline_guard_pending.key?(spec.name)

        ct = self[spec.column]
        return nil if ct.nil?

        @pipeline_guard_plain ||= {}
        cached = @pipeline_guard_plain[spec.name]
        return cached[1] if cached && cached[0] == ct

        plain = Notifications.instrument(:decrypt, model: self.class.name, attribute: spec.name, count: 1) do
          spec.keyring_for(self).decrypt(ct, context: spec.context_for(self), associated_data: spec.aad_for(self))
        end
        plain = plain.force_encoding(Encoding::UTF_8)
        plain = plain.force_encoding(Encoding::BINARY) unless plain.valid_encoding?
        @pipeline_guard_plain[spec.name] = [ct, plain.freeze]
        plain
      end

      def pipeline_guard_write(spec, plaintext)
        pipeline_guard_pending[spec.name] = plaintext.nil? ? nil : plaintext.to_s.dup.freeze
      end

      def pipeline_guard_encrypt_pending
        pipeline_guard_encrypted.each_value do |spec|
          if pipeline_guard_pending.key?(spec.name)
            self[spec.column] = pipeline_guard_encrypt(spec, pipeline_guard_pending[spec.name])
          elsif pipeline_guard_binding_changed?(spec)
            pipeline_guard_reencrypt_for_new_binding(spec)
          end
        end
        pipeline_guard_pending.clear
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

      def pipeline_guard_reencrypt_for_new_binding(spec)
        keyring = spec.keyring_for(self)
        plain = keyring.decrypt(self[spec.column], context: spec.context_for(self),
                                                   associated_data: spec.aad_for(self, :attribute_in_database))
        self[spec.column] = pipeline_guard_encrypt(spec, plain)
      end
    end
  end
end
