# frozen_string_literal: true

# Boots without Bundler: every gem comes from the system (Debian) install,
# and pipeline_guard from this repository's lib/.
$LOAD_PATH.unshift(File.expand_path("../../../lib", __dir__))

require "rails"
require "active_record/railtie"
require "action_controller/railtie"
require "active_job/railtie"
require "graphql"
require "pipeline_guard"
require "pipeline_guard/rails"
require "pipeline_guard/graphql"

module SecretsManagerApp
  class Application < Rails::Application
    config.load_defaults 6.1
    config.api_only = true
    config.eager_load = false
    config.root = File.expand_path("..", __dir__)
    config.secret_key_base = ENV.fetch("SECRET_KEY_BASE") { "example-app-only-#{'0' * 48}" }
    config.logger = ActiveSupport::Logger.new(ENV["SECRETS_MANAGER_LOG"] || File::NULL)
    config.log_level = :info
    config.hosts.clear

    # With BAO_ADDR set the keyring of SQLite-stored data is unused (values
    # live in OpenBao); otherwise a keyring from credentials, or a fresh one
    # for this process (the default database is per-process too).
    config.pipeline_guard.generate_keyring = true
    config.pipeline_guard.transit_key = ENV.fetch("SECRETS_MANAGER_TRANSIT_KEY", nil)

    # Secrets manager (de)provisioning runs in jobs: inline in tests, in a
    # thread pool otherwise; an in-memory SQLite database is per connection,
    # so it keeps jobs inline too.
    database = ENV["DATABASE_URL"] || ENV.fetch("SECRETS_MANAGER_DATABASE_URL", "sqlite3::memory:")
    config.active_job.queue_adapter = (Rails.env.test? || database.include?(":memory:") ? :inline : :async)

    config.autoload_paths += %W[#{config.root}/app/services #{config.root}/app/graphql]
  end
end
