# frozen_string_literal: true

module PipelineGuard
  module SecretsManager
    # The main expressions of GitLab's CEL programs (see CelPrograms): the
    # pipeline ones verbatim, the user/API ones assembled from their parts.
    module CelPrograms
      PROJECT_PIPELINE_EXPRESSION = <<~'CEL'.strip
        sub == "" ? "missing subject" :
        !sub.startsWith("project_path:") ? "invalid subject for pipeline authentication" :
        scope == "" ? "missing secrets_manager_scope" :
        scope != "pipeline" ? "invalid secrets_manager_scope" :
        pid == "" ? "missing project_id" :
        pid != expected_pid ? "token project_id does not match project" :
        uid == "" ? "missing user_id" :
        aud == "" ? "missing audience" :
        aud != expected_aud ? "audience validation failed" :
        pb.Auth{
          display_name: "pipeline:" + pid,
          alias: logical.Alias { name: "pipeline:" + pid },
          policies: [global_policy] + (env_policy != "" ? [env_policy] : []) + (branch_policy != "" ? [branch_policy] : []) + (combined_policy != "" ? [combined_policy] : []),
          metadata: {
            "correlation_id": correlation_id,
            "user_id": uid,
            "project_id": pid,
            "namespace_id": namespace_id,
            "pipeline_id": pipeline_id,
            "job_id": job_id
          }
        }
      CEL

      GROUP_PIPELINE_EXPRESSION = <<~'CEL'.strip
        sub == "" ? "missing subject" :
        !sub.startsWith("project_path:") ? "invalid subject for pipeline authentication" :
        scope == "" ? "missing secrets_manager_scope" :
        scope != "pipeline" ? "invalid secrets_manager_scope" :
        pid == "" ? "missing project_id" :
        uid == "" ? "missing user_id" :
        aud == "" ? "missing audience" :
        aud != expected_aud ? "audience validation failed" :
        project_gids.size() == 0 ? "missing project_group_ids claim" :
        !project_gids.exists(g, string(g) == expected_gid) ?
          "project does not belong to group" :
        pb.Auth{
          display_name: "pipeline:" + pid,
          alias: logical.Alias { name: "pipeline:" + pid },
          policies: [global_policy] + (unprotected_global_policy != "" ? [unprotected_global_policy] : []) + (env_policy != "" ? [env_policy] : []) + (unprotected_env_policy != "" ? [unprotected_env_policy] : []),
          metadata: {
            "correlation_id": correlation_id,
            "user_id": uid,
            "project_id": pid,
            "group_id": expected_gid,
            "pipeline_id": pipeline_id,
            "job_id": job_id
          }
        }
      CEL

      module_function

      # The identity part of a project user/API program.
      def project_owner(project_id, groups:)
        vars = [["expected_pid", %("#{project_id}")], ["pid", CLAIM["project_id"]]]
        vars << ["grps", RAW_CLAIM["groups", "[]"]] if groups
        { vars:, metadata: %w[correlation_id project_id namespace_id user_id], namespace_var: true,
          checks: ['pid == "" ? "missing project_id"',
                   'pid != expected_pid ? "token project_id does not match role base"'],
          metadata_vars: { "project_id" => "pid" } }
      end

      def group_owner(group_id)
        { vars: [["expected_gid", %("#{group_id}")], ["gid", CLAIM["group_id"]], ["rgid", CLAIM["root_group_id"]],
                 ["orgid", CLAIM["organization_id"]], ["grps", RAW_CLAIM["groups", "[]"]]],
          metadata: %w[correlation_id group_id root_group_id organization_id user_id], namespace_var: false,
          checks: ['gid == "" ? "missing group_id"', 'gid != expected_gid ? "token group_id does not match group"'],
          metadata_vars: { "group_id" => "gid", "root_group_id" => "rgid", "organization_id" => "orgid" } }
      end

      def member_expression(scope:, scope_var:, groups:, owner:)
        group_term = groups ? "\n    grps.map(g, base + \"/direct/group_\" + string(g)) +" : ""
        metadata = owner[:metadata].map do |key|
          var = owner[:metadata_vars].fetch(key) { key == "user_id" ? "uid" : key }
          "    \"#{key}\": #{var}"
        end
        <<~CEL.strip
          sub == "" ? "missing subject" :
          !sub.startsWith("user:") ? "invalid subject for user authentication" :
          #{scope_var} == "" ? "missing secrets_manager_scope" :
          #{scope_var} != "#{scope}" ? "invalid secrets_manager_scope" :
          #{owner[:checks][0]} :
          #{owner[:checks][1]} :
          aud == "" ? "missing audience" :
          aud != expected_aud ? "audience validation failed" :
          uid == "" ? "missing user_id" :
          pb.Auth{
            display_name: who,
            alias: logical.Alias { name: who },
            lease_options: pb.LeaseOptions{TTL: ttl_ns, MaxTTL: ttl_ns, issue_time: now},
            policies:
              (uid  != "" ? [base + "/direct/user_"        + uid]  : []) +
              (mrid != "" ? [base + "/direct/member_role_" + mrid] : []) +#{group_term}
              (rid  != "" ? [base + "/roles/"              + rid]  : []),
            metadata: {
          #{metadata.join(",\n")}
            }
          }
        CEL
      end
    end
  end
end
