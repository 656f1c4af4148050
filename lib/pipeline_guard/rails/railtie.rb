# frozen_string_literal: true

require "rails/railtie"

module PipelineGuard
  module Rails
    # Wires the gem into a Rails app:
    #
    #   config.pipeline_guard.transit_key = "rails-attributes"
    #   config.pipeline_guard.generate_keyring = Rails.env.test?
    #
    # Adds the sensitive parameter names to `filter_parameters`, scrubs log
    # lines, takes the keyring from credentials when no other source is set,
    # and gives Active Record models `pipeline_guard_encrypts`.
    class Railtie < ::Rails::Railtie
      config.pipeline_guard = PipelineGuard::Rails.config

      initializer "pipeline_guard.filter_parameters", before: :load_config_initializers do |app|
        app.config.filter_parameters |= app.config.pipeline_guard.filter_parameters
        app.config.filter_parameters << LogFilter.parameter_filter
      end

      initializer "pipeline_guard.credentials" do |app|
        cfg = app.config.pipeline_guard
        cfg.credentials ||= app.credentials if app.respond_to?(:credentials)
      end

      initializer "pipeline_guard.active_record" do
        ActiveSupport.on_load(:active_record) { include PipelineGuard::Rails::EncryptedAttribute }
      end

      config.after_initialize do |app|
        Notifications.enabled = app.config.pipeline_guard.instrument
        LogFilter.install(::Rails.logger) if app.config.pipeline_guard.filter_logs
      end
    end
  end
end
