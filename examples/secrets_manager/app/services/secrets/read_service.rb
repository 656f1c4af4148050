# frozen_string_literal: true

module Secrets
  # GitLab's (Project|Group)Secrets::ReadMetadataService.
  class ReadService < BaseService
    def execute(name) = find(name)
  end
end
