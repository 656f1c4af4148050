# frozen_string_literal: true

module Types
  # GitLab's Principal: `user` and `userRoleId` (the user's access level on
  # the project or group, as a String) only for USER principals.
  class PrincipalType < BaseObject
    graphql_name "Principal"
    description "Representation of who is provided access to. For eg: User/Role/MemberRole."
    field :id, ID, null: false, description: "ID of the principal (User, MemberRole, Role)."
    field :type, Types::PrincipalTypeEnum, null: false, description: "Name of the principal (User, MemberRole, Role)."
    field :user, Types::UserType, null: true, description: "User who is provided access to."
    field :user_role_id, String, null: true, description: "RoleID of the user."

    def id = object.principal_id.to_s
    def type = object.principal_type
    def user = object.principal_user

    def user_role_id
      user = object.principal_user
      user && Authz.rbac.max_access_level(user.id, object.resource.full_path).to_i.to_s
    end
  end
end
