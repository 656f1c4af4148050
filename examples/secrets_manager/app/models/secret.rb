# frozen_string_literal: true

# A project secret. Locally the value is stored encrypted with the app
# keyring, bound to its project and name; with OpenBao it lives there and
# `value_ciphertext` stays empty.
class Secret < ApplicationRecord
  include SecretRecord

  NAME_FORMAT = SecretRecord::NAME_FORMAT
  MAX_VALUE_BYTES = SecretRecord::MAX_VALUE_BYTES

  belongs_to :project
  pipeline_guard_encrypts :value, associated_data: %i[project_id name]

  validates :branch, presence: true

  after_save { ProjectAccess.changed!(project_id) }
  after_destroy { ProjectAccess.changed!(project_id) }
  after_commit { ProjectAccess.reset!(project_id) }

  def owner = project
  def openbao_custom_metadata = { environment:, branch:, description: description.presence }.compact
end
