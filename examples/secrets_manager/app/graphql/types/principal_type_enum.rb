# frozen_string_literal: true

module Types
  class PrincipalTypeEnum < GraphQL::Schema::Enum
    graphql_name "PrincipalType"
    value "USER", value: "User"
    value "GROUP", value: "Group"
    value "ROLE", value: "Role"
    value "MEMBER_ROLE", value: "MemberRole"
  end
end
