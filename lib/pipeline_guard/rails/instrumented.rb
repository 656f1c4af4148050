# frozen_string_literal: true

module PipelineGuard
  module Rails
    # Wraps a Keyring, JWT signer or verifier so that each call emits an
    # event. The wrapped object keeps its own #inspect (no secrets).
    class Instrumented < SimpleDelegator
      EVENTS = {
        encrypt: :encrypt, encrypt_many: :encrypt, decrypt: :decrypt, decrypt_str: :decrypt,
        decrypt_many: :decrypt, rewrap: :rewrap, sign: :sign, verify: :verify, verify_many: :verify
      }.freeze

      def self.keyring(keyring) = wrap(keyring)
      def self.signer(signer) = wrap(signer)
      def self.verifier(verifier) = wrap(verifier)

      def self.wrap(target)
        target.is_a?(Instrumented) ? target : new(target)
      end

      EVENTS.each do |method, event|
        define_method(method) do |*args, **kwargs, &block|
          batch = method.end_with?("_many")
          payload = { operation: method, count: batch ? args.first.size : 1 }
          Notifications.instrument(event, payload) do
            __getobj__.public_send(method, *args, **kwargs, &block)
          end
        end
      end

      def inspect = __getobj__.inspect
      def is_a?(klass) = super || __getobj__.is_a?(klass)
      alias kind_of? is_a?

      def _dump(_level)
        raise TypeError, "#{__getobj__.class} cannot be marshalled"
      end

      def marshal_dump
        raise TypeError, "#{__getobj__.class} cannot be marshalled"
      end
    end
  end
end
