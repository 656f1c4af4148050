# frozen_string_literal: true

require_relative "cel_program_expressions"

module PipelineGuard
  module SecretsManager
    # The OpenBao JWT CEL programs GitLab's secrets manager writes for each
    # project or group (`auth/<namespace>/<mount>/cel/role/<role>`), built
    # exactly as GitLab EE builds them (`pipeline_auth_cel_program`,
    # `user_auth_cel_program`, `api_auth_cel_program` in
    # ee/app/models/secrets_management/{project,group}_secrets_managers/),
    # so `JSON.generate` of a result is the body OpenBao receives. Each
    # returns {"variables" => [...], "expression" => "..."} with String keys,
    # ready for JwtAuth#write_cel_role(cel_program:).
    #
    #   program = CelPrograms.project_pipeline(project_id: 42, aud: "https://bao.example.com")
    #   auth.write_cel_role("all_pipelines", **CelPrograms.role(program, aud: "https://bao.example.com"))
    #
    # `aud` is GitLab's OpenBao URL (the ID token audience). Mounts and
    # roles: `pipeline_jwt`/`all_pipelines`, `user_jwt`/`all_users`,
    # `api_jwt`/`all_api` (see MOUNTS).
    module CelPrograms
      MOUNTS = {
        pipeline: { mount: "pipeline_jwt", role: "all_pipelines" },
        user: { mount: "user_jwt", role: "all_users" },
        api: { mount: "api_jwt", role: "all_api" }
      }.freeze

      CLAIM = ->(name) { "('#{name}' in claims) ? string(claims['#{name}']) : \"\"" }
      RAW_CLAIM = ->(name, default) { "('#{name}' in claims) ? claims['#{name}'] : #{default}" }
      TTL_SECONDS = "('secrets_manager_token_ttl' in claims && claims['secrets_manager_token_ttl'] != null && " \
                    "int(claims['secrets_manager_token_ttl']) > 0) ? int(claims['secrets_manager_token_ttl']) : 300"
      MEMBER_ROLE = "('member_role_id' in claims && claims['member_role_id'] != null) ? " \
                    "string(claims['member_role_id']) : \"\""
      private_constant :CLAIM, :RAW_CLAIM, :TTL_SECONDS, :MEMBER_ROLE

      module_function

      # `ProjectSecretsManagers::PipelineHelper#pipeline_auth_cel_program`.
      def project_pipeline(project_id:, aud:)
        program([
                  ["expected_pid", %("#{project_id}")], ["pid", CLAIM["project_id"]], ["uid", CLAIM["user_id"]],
                  ["aud", CLAIM["aud"]], ["expected_aud", %("#{aud}")], ["sub", RAW_CLAIM["sub", '""']],
                  ["scope", CLAIM["secrets_manager_scope"]], ["correlation_id", CLAIM["correlation_id"]],
                  ["namespace_id", CLAIM["namespace_id"]], ["ref_type", CLAIM["ref_type"]], ["ref", CLAIM["ref"]],
                  ["environment", CLAIM["environment"]],
                  ["env_hex", 'environment != "" ? "%x".format([environment]) : ""'],
                  ["ref_hex", 'ref != "" ? "%x".format([ref]) : ""'],
                  ["global_policy", '"pipelines/global"'],
                  ["env_policy", 'environment != "" ? "pipelines/env/" + env_hex : ""'],
                  ["branch_policy", 'ref_type == "branch" && ref != "" ? "pipelines/branch/" + ref_hex : ""'],
                  ["combined_policy", 'ref_type == "branch" && ref != "" && environment != "" ? ' \
                                      '"pipelines/combined/env/" + env_hex + "/branch/" + ref_hex : ""'],
                  ["pipeline_id", CLAIM["pipeline_id"]], ["job_id", CLAIM["job_id"]]
                ], PROJECT_PIPELINE_EXPRESSION)
      end

      # `GroupSecretsManagers::PipelineHelper#pipeline_auth_cel_program`:
      # the project must list the group in `project_group_ids`; policies by
      # protection level of the ref.
      def group_pipeline(group_id:, aud:)
        program([
                  ["expected_gid", %("#{group_id}")], ["project_gids", RAW_CLAIM["project_group_ids", "[]"]],
                  ["uid", CLAIM["user_id"]], ["pid", CLAIM["project_id"]], ["aud", RAW_CLAIM["aud", '""']],
                  ["expected_aud", %("#{aud}")], ["sub", RAW_CLAIM["sub", '""']],
                  ["scope", CLAIM["secrets_manager_scope"]], ["correlation_id", CLAIM["correlation_id"]],
                  ["ref_protected", "('ref_protected' in claims) ? string(claims['ref_protected']) : \"false\""],
                  ["environment", CLAIM["environment"]],
                  ["protection_level", 'ref_protected == "true" ? "protected" : "unprotected"'],
                  ["env_hex", 'environment != "" ? "%x".format([environment]) : ""'],
                  ["global_policy", '"pipelines/combined/" + protection_level + "/global"'],
                  ["env_policy",
                   'environment != "" ? "pipelines/combined/" + protection_level + "/env/" + env_hex : ""'],
                  ["unprotected_global_policy",
                   'protection_level == "protected" ? "pipelines/combined/unprotected/global" : ""'],
                  ["unprotected_env_policy", 'protection_level == "protected" && environment != "" ? ' \
                                             '"pipelines/combined/unprotected/env/" + env_hex : ""'],
                  ["pipeline_id", CLAIM["pipeline_id"]], ["job_id", CLAIM["job_id"]]
                ], GROUP_PIPELINE_EXPRESSION)
      end

      # `ProjectSecretsManagers::UserHelper#user_auth_cel_program` (UI and
      # GraphQL CRUD, policies under `users/`). `groups: true` adds the
      # group-grant policies of the GitLab versions that had them.
      def project_user(project_id:, aud:, groups: false)
        member(base: "users", scope: "user", scope_var: "secrets_manager_scope", aud:, groups:,
               owner: project_owner(project_id, groups:))
      end

      # `ProjectSecretsManagers::ApiHelper#api_auth_cel_program` (read-only
      # API access, policies under `api/users/`).
      def project_api(project_id:, aud:, groups: true)
        member(base: "api/users", scope: "api", scope_var: "scope", aud:, groups:,
               owner: project_owner(project_id, groups:))
      end

      # `GroupSecretsManagers::UserHelper#user_auth_cel_program`.
      def group_user(group_id:, aud:, groups: true)
        member(base: "users", scope: "user", scope_var: "scope", aud:, groups:, owner: group_owner(group_id))
      end

      # `GroupSecretsManagers::ApiHelper#api_auth_cel_program`.
      def group_api(group_id:, aud:, groups: true)
        member(base: "api/users", scope: "api", scope_var: "scope", aud:, groups:, owner: group_owner(group_id))
      end

      # Keywords for JwtAuth#write_cel_role as GitLab configures the role:
      # the program with the OpenBao URL as the only bound audience.
      def role(program, aud:)
        { cel_program: program, bound_audiences: [aud] }
      end

      def program(variables, expression)
        { "variables" => variables.map { |name, expr| { "name" => name, "expression" => expr } },
          "expression" => expression }
      end

      # The user/API program shape shared by projects and groups.
      def member(base:, scope:, scope_var:, aud:, groups:, owner:)
        vars = [["base", %("#{base}")], ["uid", CLAIM["user_id"]], ["mrid", MEMBER_ROLE], ["rid", CLAIM["role_id"]]]
        vars.concat(owner[:vars])
        vars.reject! { |name, _| name == "grps" } unless groups
        vars.concat([["who", 'uid != "" ? "gitlab-user:" + uid : "gitlab-user:anonymous"'],
                     ["aud", RAW_CLAIM["aud", '""']], ["expected_aud", %("#{aud}")], ["sub", RAW_CLAIM["sub", '""']],
                     [scope_var, CLAIM["secrets_manager_scope"]], ["correlation_id", CLAIM["correlation_id"]]])
        vars << ["namespace_id", CLAIM["namespace_id"]] if owner[:namespace_var]
        vars.concat([["ttl_seconds", TTL_SECONDS], ["ttl_ns", "ttl_seconds * 1000000000"]])
        program(vars, member_expression(scope:, scope_var:, groups:, owner:))
      end

      private_class_method :program, :project_owner, :group_owner, :member, :member_expression
    end
  end
end
