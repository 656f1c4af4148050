# frozen_string_literal: true

# One rotation reminder sent to one person (GitLab e-mails the owners).
class SecretRotationReminder < ApplicationRecord
  belongs_to :secret_rotation_info
  belongs_to :user
end
