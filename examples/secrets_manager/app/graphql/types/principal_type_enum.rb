# frozen_string_literal: true

module Types
  # GitLab 19.4's PrincipalType: GROUP principals were removed.
  class PrincipalTypeEnum < GraphQL::Schema::Enum
    graphql_name "PrincipalType"
    description "Types of principal that can have secrets permissions"
    value "USER", "user.", value: "User"
    value "MEMBER_ROLE", "member role.", value: "MemberRole"
    value "ROLE", "predefined role.", value: "Role"
  end
end
