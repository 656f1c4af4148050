# frozen_string_literal: true

# An in-memory SQLite database for the Active Record specs, loaded only by
# the specs that need it (`require_relative "active_record_helper"`).
require "active_record"
require "pipeline_guard/rails"

ActiveRecord::Base.establish_connection(adapter: "sqlite3", database: ":memory:")
ActiveRecord::Migration.verbose = false
ActiveRecord::Schema.define do
  create_table :vault_items, force: true do |t|
    t.integer :project_id
    t.string :name
    t.text :value_ciphertext
    t.text :note_ciphertext
  end
end
ActiveRecord::Base.include(PipelineGuard::Rails::EncryptedAttribute)
