# frozen_string_literal: true

ENV["RAILS_ENV"] = "test"
ENV.delete("BAO_ADDR") unless ENV["SECRETS_MANAGER_SPEC_OPENBAO"]
require_relative "../config/environment"

missing = %w[PipelineGuard::RBAC::Model PipelineGuard::SecretsManager::Project PipelineGuard::JWT::Signer]
          .reject { |c| Object.const_defined?(c) }
unless missing.empty?
  warn "example app specs need bindings not built into this extension: #{missing.join(', ')}"
  exit(ENV["PIPELINE_GUARD_REQUIRE_BINDINGS"] == "1" ? 1 : 0)
end
require "rack/test"
require "pipeline_guard/rspec"

Dir[File.join(__dir__, "support", "*.rb")].each { |f| require f }

RSpec.configure do |config|
  config.disable_monkey_patching!
  config.order = :random
  config.include Rack::Test::Methods
  config.include PipelineGuard::RSpec::Helpers
  config.include AppHelpers

  config.before do
    [SecretsPermission, Secret, Membership, MemberRole, Project, Group, User].each(&:delete_all)
    Authz.reset!
    ProjectAccess.reset!
  end
end
