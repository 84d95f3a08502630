# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_fleet_global_optspecs
    string join \n kubeconfig= clusters= cluster-selector= fleet= n/namespace= A/all-namespaces request-timeout= v/verbose color= h/help V/version
end

function __fish_kubectl_fleet_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_fleet_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_fleet_using_subcommand
    set -l cmd (__fish_kubectl_fleet_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "clusters" -d 'List the member clusters: reachability, version, nodes, GPUs, cordon state, labels'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "plan" -d 'Show where the replicas of Deployments would go (changes nothing; exit 3 if some are unplaced)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "apply" -d 'Plan, confirm and apply Deployments and policies to the member clusters'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "diff" -d 'Show what apply -f would change on each member (exit 0 none, 1 changes, 2 error)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "get" -d 'Show Deployments, pods, nodes, events or autoscalers across the fleet (-M: per member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "describe" -d 'Show one Deployment or autoscaler across the fleet: policy, plan, copies, events'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "scale" -d 'Change the fleet-wide replica count of a managed Deployment (re-plans with its policy)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "delete" -d 'Delete a managed Deployment or fleet autoscaler (hpa/NAME) from the members'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "autoscale" -d 'Create a fleet autoscaler for a managed Deployment, like kubectl autoscale'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "top" -d 'Show CPU and memory of pods or nodes across the fleet, like kubectl top'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "demo" -d 'Run the whole workflow on a simulated 3-cluster GPU fleet (no clusters needed)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "sim" -d 'Run or control a simulated fleet (Kubernetes-API-compatible clusters on 127.0.0.1)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "completion" -d 'Generate a static shell completion script for kubectl-fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "cordon" -d 'Cordon a member: it gets no new replicas (state stored in the member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "uncordon" -d 'Uncordon a member'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "drain" -d 'Cordon a member and move its managed replicas to the others, make-before-break'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "rebalance" -d 'One pass of descheduling, failover and return to priority'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "reconcile" -d 'Controller mode: loop plan/apply/rebalance, with metrics and leader election'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "rollout" -d 'Fleet-wide rollouts: status, history, undo, pause, resume, restart (Kruise Rollout steps)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s o -l output -d 'Output format' -r -f -a "wide\t'Adds elastic pools and the API server URL'
json\t'JSON (a List of rows)'
yaml\t'YAML (a List of rows)'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand clusters" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -s f -l filename -d 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -s o -l output -d 'Output format' -r -f -a "table\t'The plan table (default)'
wide\t'Adds each cluster\'s capacity per tier and the engine\'s explanation'
json\t'The documented JSON schema (docs/plan-json.md)'
yaml\t'The same document as YAML'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand plan" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s f -l filename -d 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s o -l output -d 'How to show the plan and the result (json/yaml print the apply report)' -r -f -a "table\t'The plan table (default)'
wide\t'Adds each cluster\'s capacity per tier and the engine\'s explanation'
json\t'The documented JSON schema (docs/plan-json.md)'
yaml\t'The same document as YAML'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l field-manager -d 'Field manager of the server-side apply' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l dry-run -d 'Only show what would change (`--dry-run` alone means client)' -r -f -a "none\t'Really apply'
client\t'Compute and show what would change; send no writes'
server\t'Send every write with dryRun=All (the members validate, nothing persists)'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l timeout -d 'How long --wait waits' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l order -d 'Member order of the rollout this apply starts (comma-separated members, first first); wins over the Rollout\'s memberOrder field and member-order annotation. Members not named follow in the default order (lowest-priority group first)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s y -l yes -d 'Do not ask for confirmation'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l force-conflicts -d 'Adopt same-named Deployments that kubectl-fleet does not manage (conflictResolution Overwrite)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l wait -d 'Wait until the new replicas are available (growing members first, then shrinking)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l allow-unreachable -d 'Change the reachable members even if the plan involves unreachable ones'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -l rollback-on-failure -d 'Watch the step this apply writes (up to --timeout); when it fails, restore the previous template everywhere (like `rollout undo`, make-before-break) and exit 1'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand apply" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -s f -l filename -d 'Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand diff" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s o -l output -d 'Output format: wide, json, yaml, name, custom-columns=HEADER:PATH,... or jsonpath=TEMPLATE (deployments: json/yaml/custom-columns/jsonpath see the member copies as a v1 List, each annotated fleet.kubectl.dev/member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s l -l selector -d 'Label selector on the listed objects (e.g. `app=qwen3-8b`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l for -d 'Events only: those about this object, like `kubectl events --for` (e.g. deploy/NAME)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s M -l member-clusters -d 'One row per member cluster (plus a fleet total row for Deployments)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand get" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand describe" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l replicas -d 'The new fleet-wide replica count' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -s o -l output -d 'How to show the plan and the result' -r -f -a "table\t'The plan table (default)'
wide\t'Adds each cluster\'s capacity per tier and the engine\'s explanation'
json\t'The documented JSON schema (docs/plan-json.md)'
yaml\t'The same document as YAML'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l dry-run -d 'Only show what would change (`--dry-run` alone means client)' -r -f -a "none\t'Really apply'
client\t'Compute and show what would change; send no writes'
server\t'Send every write with dryRun=All (the members validate, nothing persists)'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l timeout -d 'How long --wait waits' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l wait -d 'Wait until the new replicas are available (growing members first, then shrinking)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l allow-unreachable -d 'Change the reachable members even if the plan involves unreachable ones'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand scale" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l dry-run -d 'Only show what would be deleted (`--dry-run` alone means client)' -r -f -a "none\t'Really apply'
client\t'Compute and show what would change; send no writes'
server\t'Send every write with dryRun=All (the members validate, nothing persists)'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -s o -l output -d 'Print the report as json or yaml' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l preserve -d 'Keep the member copies (release them from kubectl-fleet) whatever the policy says'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l allow-unreachable -d 'Delete from the reachable members even if some cannot be reached'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand delete" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l min -d 'The lower limit of the fleet-wide replica count (default 1)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l max -d 'The upper limit of the fleet-wide replica count (required)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l cpu-percent -d 'Target average CPU utilization over all the pods in the fleet, in percent of the request; without it, the default autoscaling policy (80%) is used' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l name -d 'The autoscaler\'s name (default: the Deployment\'s name)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l dry-run -d 'Only show what would be stored (`--dry-run` alone means client)' -r -f -a "none\t'Really apply'
client\t'Compute and show what would change; send no writes'
server\t'Send every write with dryRun=All (the members validate, nothing persists)'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -s o -l output -d 'Print the autoscaler as json or yaml (or only its name) instead of the one-line result' -r -f -a "json\t''
yaml\t''
name\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand autoscale" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -f -a "pods" -d 'CPU and memory of pods in every member'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -f -a "pod" -d 'CPU and memory of pods in every member'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -f -a "po" -d 'CPU and memory of pods in every member'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -f -a "nodes" -d 'CPU and memory of nodes in every member, and their share of allocatable'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -f -a "node" -d 'CPU and memory of nodes in every member, and their share of allocatable'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -f -a "no" -d 'CPU and memory of nodes in every member, and their share of allocatable'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and not __fish_seen_subcommand_from pods pod po nodes node no help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -s l -l selector -d 'Label selector (e.g. `app=web`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l sort-by -d 'Sort by cpu or memory, largest first' -r -f -a "cpu\t''
memory\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l containers -d 'One row per container'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -s M -l member-clusters -d 'Rows grouped by member with a sum row per member and one for the fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -l no-headers -d 'Leave out the header line'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pods" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -s l -l selector -d 'Label selector (e.g. `app=web`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l sort-by -d 'Sort by cpu or memory, largest first' -r -f -a "cpu\t''
memory\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l containers -d 'One row per container'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -s M -l member-clusters -d 'Rows grouped by member with a sum row per member and one for the fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -l no-headers -d 'Leave out the header line'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from pod" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -s l -l selector -d 'Label selector (e.g. `app=web`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l sort-by -d 'Sort by cpu or memory, largest first' -r -f -a "cpu\t''
memory\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l containers -d 'One row per container'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -s M -l member-clusters -d 'Rows grouped by member with a sum row per member and one for the fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -l no-headers -d 'Leave out the header line'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from po" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -s l -l selector -d 'Label selector on the nodes' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l sort-by -d 'Sort by cpu or memory, largest first' -r -f -a "cpu\t''
memory\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -s M -l member-clusters -d 'Rows grouped by member with a sum row per member and one for the fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -l no-headers -d 'Leave out the header line'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from nodes" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -s l -l selector -d 'Label selector on the nodes' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l sort-by -d 'Sort by cpu or memory, largest first' -r -f -a "cpu\t''
memory\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -s M -l member-clusters -d 'Rows grouped by member with a sum row per member and one for the fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -l no-headers -d 'Leave out the header line'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from node" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -s l -l selector -d 'Label selector on the nodes' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l sort-by -d 'Sort by cpu or memory, largest first' -r -f -a "cpu\t''
memory\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -s M -l member-clusters -d 'Rows grouped by member with a sum row per member and one for the fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -l no-headers -d 'Leave out the header line'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from no" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from help" -f -a "pods" -d 'CPU and memory of pods in every member'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from help" -f -a "nodes" -d 'CPU and memory of nodes in every member, and their share of allocatable'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand top; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l speed -d 'Simulated time runs this many times faster than real time (readiness delays, node provisioning)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -l keep -d 'Keep the simulated fleet running at the end (prints the KUBECONFIG to export; Ctrl-C stops it)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand demo" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -f -a "up" -d 'Start a simulated fleet in the foreground and write its kubeconfig'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -f -a "fault" -d 'Inject a fault into a running simulated cluster, or lift it'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -f -a "load" -d 'Set the fleet-wide load of a Deployment (served as metrics by every member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and not __fish_seen_subcommand_from up fault load help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l config -d 'SimulatedFleet config (YAML). Default: the built-in demo fleet' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l kubeconfig-out -d 'Where to write the kubeconfig (one context per cluster, namespace default)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l speed -d 'Simulated time speed: 10 makes provisioning, readiness and eviction delays 10x shorter' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from up" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l latency -d 'Delay every API request by MS milliseconds (0 clears it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l error-rate -d 'Fail this fraction of API requests (0..1) with 500 InternalError' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l node-not-ready -d 'Turn a node NotReady: its pods lose readiness, and are evicted after 40 simulated seconds' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l node-ready -d 'Turn a node Ready again' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l inventory -d 'Set the remaining inventory (instances the cloud can still provide) of a node pool' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l bad-image -d 'Make an image bad: its pods start but never turn Ready, and their restartCount grows (CrashLoopBackOff every 10 simulated seconds)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l good-image -d 'Make a bad image good again: its pods turn Ready at their next restart' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l down -d 'Take the cluster\'s API server down (connections are refused)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l up -d 'Bring the API server back, and clear latency and error rate'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l no-metrics -d 'Make the metrics APIs (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io) answer 503 ServiceUnavailable, like a missing metrics backend; the rest of the API server keeps working'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -l metrics -d 'Serve the metrics APIs again (lifts --no-metrics)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from fault" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l cpu -d 'Fleet-wide cpu demand in cores (`2.5`, `750m`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l memory -d 'Fleet-wide memory demand (`6Gi`); without it each pod reports its memory request' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l metric -d 'A custom pods metric and its fleet-wide total (`requests_per_second=900`); repeatable' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l object -d 'An object metric served by one member\'s custom.metrics.k8s.io (`ingress/main:requests_per_second=900`); repeatable' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l external -d 'An external metric served by one member\'s external.metrics.k8s.io (`queue_depth=30`, series labelled deployment=NAME); repeatable' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l cluster -d 'The member serving --object and --external (default: the fleet\'s first member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "up" -d 'Start a simulated fleet in the foreground and write its kubeconfig'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "fault" -d 'Inject a fault into a running simulated cluster, or lift it'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "load" -d 'Set the fleet-wide load of a Deployment (served as metrics by every member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand sim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -l reason -d 'Why (shown by `clusters -o wide|json`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand cordon" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand uncordon" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l timeout -d 'How long to wait for the new replicas before giving up (the member keeps its copy)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l reason -d 'Cordon reason recorded on the member' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l dry-run -d 'Print the plan only: nothing is cordoned or moved'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l wait -d 'Show progress bars while the new replicas become available'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -s y -l yes -d 'Do not ask for confirmation'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand drain" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l max-moves -d 'At most this many optional moves (return to priority) per workload; failover and descheduling are never limited' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l pending-timeout -d 'Move replicas that are Pending for longer than this' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l unready-timeout -d 'Fail over a member unreachable (or replicas not Ready) for longer than this' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l timeout -d 'How long to wait for new replicas before removing the old ones' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l dry-run -d 'Print the actions only'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l wait -d 'Show progress bars while new replicas become available'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -s y -l yes -d 'Do not ask for confirmation (asked only when stdin and stderr are terminals)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rebalance" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l interval -d 'Time between passes' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l metrics-addr -d 'Serve /healthz and Prometheus /metrics on this address (e.g. 127.0.0.1:9090)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l log-format -d 'Log format on stderr' -r -f -a "text\t''
json\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l lease-member -d 'Leader election: the member holding the coordination.k8s.io Lease (or a kubeconfig context outside the fleet, e.g. the hosting cluster excluded with --clusters)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l lease-namespace -d 'Namespace of the Lease' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l lease-name -d 'Name of the Lease' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l lease-duration -d 'leaseDurationSeconds: a holder that stops renewing loses the Lease after this' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l identity -d 'holderIdentity (default: $POD_NAME or $HOSTNAME, plus the process id)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l max-moves -d 'At most this many optional moves per workload and pass' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l pending-timeout -d 'Move replicas Pending for longer than this' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l unready-timeout -d 'Fail over members unreachable (or replicas not Ready) for longer than this' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l timeout -d 'How long one pass waits for new replicas before removing old ones' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -l once -d 'Run one pass and exit'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand reconcile" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -f -a "status" -d 'Show the rollout\'s step, fleet-wide counts and state per member; wait until it completes (exit 0), fails (exit 1) or --timeout passes (exit 1)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -f -a "history" -d 'List the fleet revisions of the template with their change cause'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -f -a "undo" -d 'Roll back to the previous revision (or --to-revision) on every member at once, make-before-break; canary copies are removed'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -f -a "pause" -d 'Pause the rollout: no step advances until `rollout resume`'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -f -a "resume" -d 'Resume: lift a pause and continue a step that waits for resume (`pause: {}`)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -f -a "restart" -d 'Restart the pods (annotation kubectl.kubernetes.io/restartedAt), through the Rollout\'s steps if there is one'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and not __fish_seen_subcommand_from status history undo pause resume restart help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -s w -l watch -d 'Watch until the rollout completes or fails (`--watch=false`: print once)' -r -f -a "true\t''
false\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l timeout -d 'How long to watch (0 = no limit)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -s o -l output -d 'Print the whole status document as json or yaml (again each time it changes while watching; yaml documents separated by `---`)' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l revision -d 'Pin to a revision: exit 1 when the rollout runs another one (0 = the latest)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l rollback-on-failure -d 'When the rollout fails, restore the previous template everywhere (like `rollout undo`, make-before-break) before exiting 1'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -l revision -d 'Show the template of this revision' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -s o -l output -d 'Print the history (with --revision: that revision, its template included) as json or yaml' -r -f -a "json\t''
yaml\t''"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l to-revision -d 'The revision to roll back to (0 = the previous one)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l dry-run -d 'Only show what would change (client: nothing is written)' -r -f -a "none\t'Really apply'
client\t'Compute and show what would change; send no writes'
server\t'Send every write with dryRun=All (the members validate, nothing persists)'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from undo" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l timeout -d 'How long to wait for the current step to be Ready before continuing' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l lock-timeout -d 'How long to wait for another writer\'s lock on a workload before giving up (exit 1, naming the holder); 0 tries once' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l order -d 'Member order of the restart\'s rollout (comma-separated members, first first); wins over the Rollout\'s memberOrder field and member-order annotation' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l kubeconfig -d 'Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config)' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l clusters -l context -d 'Fleet members to use, comma separated (default: every member)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l cluster-selector -d 'Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l fleet -d 'Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present' -r -F
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s n -l namespace -d 'Namespace (default: the namespace of the kubeconfig\'s current context, else `default`; manifests that name a namespace keep it)' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l request-timeout -d 'Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever' -r
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l color -d 'When to colour output' -r -f -a "auto\t'Colour when writing to a terminal and `NO_COLOR` is not set'
always\t'Always colour'
never\t'Never colour'"
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -l force-unlock -d 'Take the workload\'s write lock even though another writer holds it. Only for a holder that is known to be dead (it would otherwise expire after its lease duration)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s A -l all-namespaces -d 'All namespaces (get)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s v -l verbose -d 'More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the rollout\'s step, fleet-wide counts and state per member; wait until it completes (exit 0), fails (exit 1) or --timeout passes (exit 1)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "history" -d 'List the fleet revisions of the template with their change cause'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "undo" -d 'Roll back to the previous revision (or --to-revision) on every member at once, make-before-break; canary copies are removed'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause the rollout: no step advances until `rollout resume`'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Resume: lift a pause and continue a step that waits for resume (`pause: {}`)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart the pods (annotation kubectl.kubernetes.io/restartedAt), through the Rollout\'s steps if there is one'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand rollout; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "clusters" -d 'List the member clusters: reachability, version, nodes, GPUs, cordon state, labels'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "plan" -d 'Show where the replicas of Deployments would go (changes nothing; exit 3 if some are unplaced)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "apply" -d 'Plan, confirm and apply Deployments and policies to the member clusters'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "diff" -d 'Show what apply -f would change on each member (exit 0 none, 1 changes, 2 error)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "get" -d 'Show Deployments, pods, nodes, events or autoscalers across the fleet (-M: per member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "describe" -d 'Show one Deployment or autoscaler across the fleet: policy, plan, copies, events'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "scale" -d 'Change the fleet-wide replica count of a managed Deployment (re-plans with its policy)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "delete" -d 'Delete a managed Deployment or fleet autoscaler (hpa/NAME) from the members'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "autoscale" -d 'Create a fleet autoscaler for a managed Deployment, like kubectl autoscale'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "top" -d 'Show CPU and memory of pods or nodes across the fleet, like kubectl top'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "demo" -d 'Run the whole workflow on a simulated 3-cluster GPU fleet (no clusters needed)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "sim" -d 'Run or control a simulated fleet (Kubernetes-API-compatible clusters on 127.0.0.1)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "completion" -d 'Generate a static shell completion script for kubectl-fleet'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "cordon" -d 'Cordon a member: it gets no new replicas (state stored in the member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "uncordon" -d 'Uncordon a member'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "drain" -d 'Cordon a member and move its managed replicas to the others, make-before-break'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "rebalance" -d 'One pass of descheduling, failover and return to priority'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "reconcile" -d 'Controller mode: loop plan/apply/rebalance, with metrics and leader election'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "rollout" -d 'Fleet-wide rollouts: status, history, undo, pause, resume, restart (Kruise Rollout steps)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and not __fish_seen_subcommand_from clusters plan apply diff get describe scale delete autoscale top demo sim completion cordon uncordon drain rebalance reconcile rollout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from top" -f -a "pods" -d 'CPU and memory of pods in every member'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from top" -f -a "nodes" -d 'CPU and memory of nodes in every member, and their share of allocatable'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "up" -d 'Start a simulated fleet in the foreground and write its kubeconfig'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "fault" -d 'Inject a fault into a running simulated cluster, or lift it'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from sim" -f -a "load" -d 'Set the fleet-wide load of a Deployment (served as metrics by every member)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "status" -d 'Show the rollout\'s step, fleet-wide counts and state per member; wait until it completes (exit 0), fails (exit 1) or --timeout passes (exit 1)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "history" -d 'List the fleet revisions of the template with their change cause'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "undo" -d 'Roll back to the previous revision (or --to-revision) on every member at once, make-before-break; canary copies are removed'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "pause" -d 'Pause the rollout: no step advances until `rollout resume`'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "resume" -d 'Resume: lift a pause and continue a step that waits for resume (`pause: {}`)'
complete -c kubectl-fleet -n "__fish_kubectl_fleet_using_subcommand help; and __fish_seen_subcommand_from rollout" -f -a "restart" -d 'Restart the pods (annotation kubectl.kubernetes.io/restartedAt), through the Rollout\'s steps if there is one'
