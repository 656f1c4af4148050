# frozen_string_literal: true

# A project secret. Locally the value is stored encrypted with the app
# keyring, bound to its project and name; with OpenBao it lives there and
# `value_ciphertext` stays empty.
class Secret < ApplicationRecord
  NAME_FORMAT = /\A[A-Za-z0-9_]{1,255}\z/
  MAX_VALUE_BYTES = 10_000

  belongs_to :project
  pipeline_guard_encrypts :value, associated_data: %i[project_id name]

  validates :name, format: { with: NAME_FORMAT, message: "must be 1 to 255 characters of A-Z, a-z, 0-9 and _" },
                   uniqueness: { scope: :project_id }
  validates :description, length: { maximum: 200 }
  validates :environment, :branch, presence: true
  validate :value_size

  after_commit { ProjectAccess.reset!(project_id) }

  private

  def value_size
    v = value
    errors.add(:value, "is too long (maximum is #{MAX_VALUE_BYTES} bytes)") if v && v.bytesize > MAX_VALUE_BYTES
  end
end
