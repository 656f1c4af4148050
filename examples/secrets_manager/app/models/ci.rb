# frozen_string_literal: true

# CI records: pipelines, their jobs (builds), job definitions and runners.
module Ci
  def self.table_name_prefix = "ci_"
end
