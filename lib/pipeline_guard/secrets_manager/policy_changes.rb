# frozen_string_literal: true

module PipelineGuard
  module SecretsManager
    # What an incremental update changed: { policy name => document, or nil
    # to delete }, plus the pipeline JWT role's new token_policies when they
    # changed (else nil).
    class PolicyChanges < Hash
      attr_reader :token_policies

      def self.from(pair)
        changes, token_policies = pair
        new.tap do |h|
          h.update(changes)
          h.instance_variable_set(:@token_policies, token_policies&.freeze)
        end
      end

      def token_policies_changed?
        !@token_policies.nil?
      end
    end
  end
end
