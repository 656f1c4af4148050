# frozen_string_literal: true

module PipelineGuard
  module Rails
    module LogFilter
      # Prepended to a logger's formatter.
      module Formatter
        def call(severity, time, progname, msg)
          super(severity, time, progname, msg.is_a?(String) ? LogFilter.scrub(msg) : msg)
        end
      end
    end
  end
end
