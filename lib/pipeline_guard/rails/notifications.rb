# frozen_string_literal: true

require "delegate"

module PipelineGuard
  module Rails
    # ActiveSupport::Notifications events, all under the `pipeline_guard`
    # namespace: `encrypt.pipeline_guard`, `decrypt.pipeline_guard`,
    # `rewrap.pipeline_guard`, `sign.pipeline_guard`, `verify.pipeline_guard`
    # and `authorize.pipeline_guard`. Payloads carry counts, names and
    # outcomes, never keys, tokens, plaintext or ciphertext.
    module Notifications
      NAMESPACE = "pipeline_guard"

      class << self
        attr_writer :enabled

        def enabled?
          @enabled != false && defined?(ActiveSupport::Notifications)
        end

        def instrument(event, payload = {}, &)
          return yield(payload) unless enabled?

          ActiveSupport::Notifications.instrument("#{event}.#{NAMESPACE}", payload, &)
        end

        # Subscribes to one event (`:encrypt`) or all (`nil`).
        def subscribe(event = nil, &)
          require "active_support/notifications"
          pattern = event ? "#{event}.#{NAMESPACE}" : /\.#{NAMESPACE}\z/
          ActiveSupport::Notifications.subscribe(pattern, &)
        end
      end
    end
  end
end

require_relative "instrumented"
