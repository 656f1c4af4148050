# frozen_string_literal: true

module Resolvers
  # Embedded mode (no BAO_ADDR) has no server to be down: always healthy.
  class OpenbaoHealthResolver < SecretsResolver
    type Boolean, null: false
    description "Check if OpenBao instance is healthy and reachable"

    def resolve
      unavailable! unless context[:current_user]

      SecretStore.current.healthy?
    end
  end
end
