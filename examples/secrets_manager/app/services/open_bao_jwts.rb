# frozen_string_literal: true

# The short-lived JWTs the app presents to OpenBao in OpenBao mode, with the
# claims GitLab 19.4 puts in them (SecretsManagement::GlobalSecretsManagerJwt
# and its Project/Group user subclasses), signed with the app's ID token key:
# - `app`: Rails itself (sub `gitlab_secrets_manager`, scope `privileged`),
#   for the `gitlab_rails_jwt` mount's `app` role (provisioning, policies);
# - `user`: a person acting through GraphQL (sub `user:<username>`, scope
#   `user`, the project or group, `role_id` = their access level, the member
#   role), for the secrets manager's `user_jwt` mount and CEL role `all_users`.
module OpenBaoJwts
  TTL = 30
  SYSTEM_UID = "gitlab_secrets_manager"

  class << self
    def app(now: Time.now.to_i)
      IdTokens.signer.sign(base(now).merge("sub" => SYSTEM_UID, "user_id" => SYSTEM_UID,
                                           "secrets_manager_scope" => "privileged"))
    end

    def user(owner, user, now: Time.now.to_i)
      level = Authz.rbac.max_access_level(user.id, owner.full_path).to_i
      claims = base(now).merge("sub" => "user:#{user.username}", "secrets_manager_scope" => "user",
                               "user_id" => user.id.to_s, "user_login" => user.username,
                               "role_id" => level.positive? ? level.to_s : nil,
                               "member_role_id" => member_role_id(owner, user))
      IdTokens.signer.sign(claims.merge(owner_claims(owner)).compact)
    end

    private

    def base(now)
      { "iss" => IdTokens::ISSUER, "aud" => IdTokens.audience, "iat" => now, "nbf" => now, "exp" => now + TTL,
        "jti" => SecureRandom.uuid }
    end

    def owner_claims(owner)
      if owner.is_a?(Group)
        root = OpenBaoPaths.root_group_id(owner)
        { "group_id" => owner.id.to_s, "root_group_id" => root.to_s,
          "organization_id" => OpenBaoPaths::ORGANIZATION_ID.to_s, "groups" => [] }
      else
        { "project_id" => owner.id.to_s, "namespace_id" => owner.group_id.to_s,
          "project_path" => owner.full_path }
      end
    end

    # The member role of the nearest membership that has one (GitLab looks at
    # the project's group, then its ancestors).
    def member_role_id(owner, user)
      paths = NamespacePaths.self_and_ancestors(owner.full_path)
      memberships = Membership.where(user_id: user.id, path: paths).where.not(member_role_id: nil).to_a
      paths.each do |path|
        found = memberships.find { |m| m.path == path }
        return found.member_role_id.to_s if found
      end
      nil
    end
  end
end
