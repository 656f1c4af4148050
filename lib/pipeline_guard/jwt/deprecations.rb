# frozen_string_literal: true

module PipelineGuard
  module JWT
    # The jwt gem's deprecation notices, printed with `warn` as
    # `JWT.configuration.deprecation_warnings` says: `:once` per message
    # (the default), `:warn` every time, anything else never.
    module Deprecations
      @warned = {}
      @lock = Mutex.new

      class << self
        def warning(message)
          case JWT.configuration.deprecation_warnings
          when :once
            first = @lock.synchronize { @warned.key?(message) ? false : (@warned[message] = true) }
            return unless first
          when :warn then nil
          else return
          end
          warn("[DEPRECATION WARNING] #{message}")
        end
      end
    end
  end
end
