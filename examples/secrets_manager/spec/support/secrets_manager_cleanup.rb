# frozen_string_literal: true

RSpec.configure do |config|
  config.before do
    [ProjectSecretsManager, GroupSecretsManager, GroupSecret, SecretRotationInfo, SecretRotationReminder]
      .each(&:delete_all)
  end
end
