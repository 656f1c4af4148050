# frozen_string_literal: true

RSpec.configure do |config|
  config.before { [ProjectSecretsManager, GroupSecretsManager].each(&:delete_all) }
end
