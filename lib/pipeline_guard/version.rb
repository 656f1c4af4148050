# frozen_string_literal: true

module PipelineGuard
  VERSION = "0.1.0"
end
