# frozen_string_literal: true

module Types
  class MutationType < BaseObject
    graphql_name "Mutation"
    field :project_secret_create, mutation: Mutations::ProjectSecretCreate
    field :project_secret_update, mutation: Mutations::ProjectSecretUpdate
    field :project_secret_delete, mutation: Mutations::ProjectSecretDelete
    field :project_secrets_permission_update, mutation: Mutations::ProjectSecretsPermissionUpdate
    field :project_secrets_permission_delete, mutation: Mutations::ProjectSecretsPermissionDelete

    # Secrets manager lifecycle and group secrets.
    field :project_secrets_manager_initialize, mutation: Mutations::ProjectSecretsManagerInitialize
    field :project_secrets_manager_deprovision, mutation: Mutations::ProjectSecretsManagerDeprovision
    field :group_secrets_manager_initialize, mutation: Mutations::GroupSecretsManagerInitialize
    field :group_secrets_manager_deprovision, mutation: Mutations::GroupSecretsManagerDeprovision
    field :group_secret_create, mutation: Mutations::GroupSecretCreate
    field :group_secret_update, mutation: Mutations::GroupSecretUpdate
    field :group_secret_delete, mutation: Mutations::GroupSecretDelete
  end
end
