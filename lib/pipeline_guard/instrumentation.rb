# frozen_string_literal: true

module PipelineGuard
  # Publishes events through ActiveSupport::Notifications when ActiveSupport
  # is loaded, and costs a `defined?` check otherwise. Event names end in
  # ".pipeline_guard" (see docs/policy_sync.md and docs/jwks_cache.md).
  module Instrumentation
    def self.instrument(name, payload = {}, &block)
      return block ? yield(payload) : nil unless defined?(::ActiveSupport::Notifications)

      ::ActiveSupport::Notifications.instrument("#{name}.pipeline_guard", payload, &block)
    end
  end
end
