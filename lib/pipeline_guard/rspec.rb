# frozen_string_literal: true

require "pipeline_guard"
require_relative "rspec/fixtures"
require_relative "rspec/matchers"

module PipelineGuard
  # RSpec support for apps that use the gem:
  #
  #   require "pipeline_guard/rspec"
  #   RSpec.configure { |c| c.include PipelineGuard::RSpec::Helpers }
  #
  # * `permit(:read_secret).on(path)` matcher (RBAC models, ACLs, anything
  #   with `can?`/`allowed?`);
  # * `pipeline_guard_id_token(claims)` mints CI ID tokens signed with a test
  #   key, `pipeline_guard_jwks` publishes that key;
  # * `pipeline_guard_keyring` is a fixed test keyring (stable ciphertexts
  #   for fixtures; never use it outside tests).
  module RSpec
    module Helpers
      include Matchers

      def pipeline_guard_keyring = Fixtures.keyring
      def pipeline_guard_signer = Fixtures.signer
      def pipeline_guard_jwks = Fixtures.jwks
      def pipeline_guard_public_key = Fixtures.public_key

      def pipeline_guard_id_token(claims = {}, now: Time.now.to_i, ttl: 300, **more_claims)
        Fixtures.id_token(claims, now:, ttl:, **more_claims)
      end
    end
  end
end

if defined?(RSpec.configure)
  RSpec.configure do |config|
    config.include PipelineGuard::RSpec::Helpers, pipeline_guard: true
  end
end
