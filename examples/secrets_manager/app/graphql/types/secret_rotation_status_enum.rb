# frozen_string_literal: true

module Types
  class SecretRotationStatusEnum < GraphQL::Schema::Enum
    graphql_name "SecretRotationStatus"
    description "Status of secret rotation"

    value "OK", "Rotation is not due soon.", value: SecretRotationInfo::STATUSES[:ok]
    value "APPROACHING", "Rotation is due within 7 days.", value: SecretRotationInfo::STATUSES[:approaching]
    value "OVERDUE", "Rotation is overdue (reminder was sent).", value: SecretRotationInfo::STATUSES[:overdue]
  end
end
