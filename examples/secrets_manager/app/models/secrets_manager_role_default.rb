# frozen_string_literal: true

# Marks a secrets manager whose default role policies were written.
class SecretsManagerRoleDefault < ApplicationRecord
end
