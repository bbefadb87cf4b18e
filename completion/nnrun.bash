# nnrun.bash: bash completion for nnrun: options, subcommands, config
# files, and KEY=VALUE arguments with the keys (and the names they take)
# that `nnrun --keys` prints from nnrun's key table.

_nnrun_keys()
{
	command "${NNRUN:-nnrun}" --keys 2>/dev/null
}

# Config files: names ending in .yaml or .yml.
_nnrun_configs()
{
	compgen -f -X '!*.yaml' -- "$1"
	compgen -f -X '!*.yml' -- "$1"
}

_nnrun()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local opts="-o --results -j --jobs -n --dry-run --count --force --shard --index -q --quiet -h --help -V --version --keys --grid --baseline"
	local i have_config=0 sub=""

	case $prev in
	-o | --results)
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	-j | --jobs | --shard | --index | --grid | --baseline)
		return 0
		;;
	esac
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		report | curves | verify | predict | compare) [ -z "$sub" ] && [ $have_config = 0 ] && sub=${COMP_WORDS[i]} ;;
		*.yaml | *.yml) have_config=1 ;;
		esac
	done
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	if [[ $cur == *=* ]]; then
		# KEY=VALUE: the names the key takes, after the last comma.
		local key=${cur%%=*} value=${cur#*=} head="" line names=""
		if [[ $value == *,* ]]; then
			head=${value%,*},
			value=${value##*,}
		fi
		while read -r line; do
			if [ "${line%% *}" = "$key" ] && [[ $line == *" "* ]]; then
				names=${line#* }
			fi
		done < <(_nnrun_keys)
		COMPREPLY=($(compgen -P "$key=$head" -W "$names" -- "$value"))
		return 0
	fi
	if [ "$sub" = predict ]; then
		# a run's folder or a network.yaml, then an input CSV
		COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.csv' -- "$cur") \
			$(compgen -d -S / -- "$cur"))
		return 0
	fi
	if [ $have_config = 1 ]; then
		local keys="" line
		while read -r line; do
			keys="$keys ${line%% *}="
		done < <(_nnrun_keys)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$keys" -- "$cur"))
		return 0
	fi
	if [ "$sub" = compare ] && [ "$COMP_CWORD" -ge 3 ]; then
		# after the study, KEY: a key of the table
		local keys="" line
		while read -r line; do
			keys="$keys ${line%% *}"
		done < <(_nnrun_keys)
		COMPREPLY=($(compgen -W "$keys" -- "$cur"))
		return 0
	fi
	if [ -n "$sub" ]; then
		COMPREPLY=($(_nnrun_configs "$cur") $(compgen -d -S / -- "$cur"))
		return 0
	fi
	COMPREPLY=($(compgen -W "report curves verify predict compare" -- "$cur") \
		$(_nnrun_configs "$cur") $(compgen -d -S / -- "$cur"))
}

complete -F _nnrun nnrun
