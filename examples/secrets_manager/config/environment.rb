# frozen_string_literal: true

require_relative "application"

ENV["DATABASE_URL"] ||= ENV.fetch("SECRETS_MANAGER_DATABASE_URL", "sqlite3::memory:")
SecretsManagerApp::Application.initialize!

ActiveRecord::Migration.verbose = false
load File.expand_path("../db/schema.rb", __dir__) unless ActiveRecord::Base.connection.table_exists?(:secrets)
