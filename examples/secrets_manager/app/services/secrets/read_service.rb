# frozen_string_literal: true

module Secrets
  # GitLab's (Project|Group)Secrets::ReadMetadataService.
  class ReadService < BaseService
    # In OpenBao mode the metadata is also read from OpenBao as the person,
    # so OpenBao's policies decide too (SecretStore::Denied otherwise).
    def execute(name)
      find(name).tap { |found| SecretStore.current.read_metadata(found.secret, user:) if found.success? && user }
    end
  end
end
