# frozen_string_literal: true

require "pipeline_guard"
require "active_support"
require "active_support/notifications"
require_relative "rails/notifications"
require_relative "rails/log_filter"
require_relative "rails/configuration"
require_relative "rails/encrypted_attribute"

module PipelineGuard
  # Rails integration: configuration (`config.pipeline_guard.*`), the
  # application keyring, `pipeline_guard_encrypts` for Active Record,
  # ActiveSupport::Notifications events and log scrubbing.
  #
  # Load it with `require "pipeline_guard/rails"` (the Railtie is defined
  # only when Rails itself is loaded).
  module Rails
    class << self
      def config
        @config ||= Configuration.new
      end

      def configure
        yield config
        config
      end

      # The application keyring (instrumented). Raises
      # PipelineGuard::InvalidKeyError when none is configured.
      def keyring
        @keyring ||= Instrumented.keyring(config.load_keyring)
      end

      # Replaces the application keyring (a PipelineGuard::Keyring).
      def keyring=(keyring)
        @keyring = keyring && Instrumented.keyring(keyring)
      end

      # Forgets the loaded keyring and configuration (tests, reloads).
      def reset!
        @keyring = nil
        @config = nil
      end
    end
  end
end

require_relative "rails/railtie" if defined?(Rails::Railtie)
